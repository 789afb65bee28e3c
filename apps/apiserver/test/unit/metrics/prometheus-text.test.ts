// The Prometheus text parser (prometheus-text.ts) on what kubelets and proxies write, and the
// malformed lines that must fail a scrape rather than be half used.
import { describe, expect, it } from 'vitest';
import { PrometheusParseError, parsePrometheusText } from '../../../src/metrics/prometheus-text.js';

describe('parsePrometheusText', () => {
  it.each([
    { name: 'a sample with labels and a timestamp', text: 'container_cpu_usage_seconds_total{container="web",namespace="default",pod="web-1"} 12.5 1700000000123', want: [{ name: 'container_cpu_usage_seconds_total', labels: { container: 'web', namespace: 'default', pod: 'web-1' }, value: 12.5, timestampMs: 1700000000123 }] },
    { name: 'no labels, no timestamp', text: 'scrape_error 0', want: [{ name: 'scrape_error', labels: {}, value: 0 }] },
    { name: 'HELP, TYPE, comments and blank lines skipped', text: '# HELP x help\n# TYPE x counter\n\n  \nx 1\r\n', want: [{ name: 'x', labels: {}, value: 1 }] },
    { name: 'escapes in label values and a trailing comma', text: 'm{a="q\\"uo\\\\te\\n",b="",} 2', want: [{ name: 'm', labels: { a: 'q"uo\\te\n', b: '' }, value: 2 }] },
    { name: 'an empty pod label (no targetRef)', text: 'kite_proxy_endpoint_requests_total{namespace="default",service="web",pod=""} 42', want: [{ name: 'kite_proxy_endpoint_requests_total', labels: { namespace: 'default', service: 'web', pod: '' }, value: 42 }] },
    { name: 'exponents and the infinities', text: 'a 1.5e3\nb +Inf\nc -Inf\nd 1e-3', want: [{ name: 'a', labels: {}, value: 1500 }, { name: 'b', labels: {}, value: Infinity }, { name: 'c', labels: {}, value: -Infinity }, { name: 'd', labels: {}, value: 0.001 }] },
    { name: 'blanks around braces and equals signs', text: 'm { a = "1" , b="2" } 3 4', want: [{ name: 'm', labels: { a: '1', b: '2' }, value: 3, timestampMs: 4 }] },
  ])('$name', ({ text, want }) => {
    expect(parsePrometheusText(text)).toEqual(want);
  });

  it('reads NaN', () => {
    expect(parsePrometheusText('m NaN')[0]?.value).toBeNaN();
  });

  it.each([
    { name: 'a missing value', text: 'ok 1\nm{a="1"}', line: 2 },
    { name: 'a value that is not a number', text: 'm abc', line: 1 },
    { name: 'an unterminated label value', text: 'm{a="1} 2', line: 1 },
    { name: 'an unknown escape', text: 'm{a="\\t"} 2', line: 1 },
    { name: 'a repeated label', text: 'm{a="1",a="2"} 2', line: 1 },
    { name: 'a fractional timestamp', text: 'm 1 2.5', line: 1 },
    { name: 'text after the timestamp', text: 'm 1 2 3', line: 1 },
    { name: 'a label without a value', text: '\n\nm{a} 1', line: 3 },
  ])('fails on $name, naming line $line', ({ text, line }) => {
    let err: unknown;
    try {
      parsePrometheusText(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrometheusParseError);
    expect((err as PrometheusParseError).line).toBe(line);
  });
});
