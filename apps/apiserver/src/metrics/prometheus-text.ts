// Reads the Prometheus text exposition format (version 0.0.4), the format the kubelet's
// /metrics/resource and the proxy's /metrics are written in, into flat samples.
//
//   # HELP node_cpu_usage_seconds_total Cumulative cpu time ...      (comments and HELP/TYPE: skipped)
//   container_cpu_usage_seconds_total{container="web",namespace="default",pod="web-1"} 12.5 1700000000123
//   kite_proxy_endpoint_requests_total{namespace="default",service="web",pod=""} 42
//
// Why our own parser: npm has no well-kept one (prom-client only writes; parse-prometheus-text-format
// has had no change since 2020 and no types), and the grammar is small. What it accepts is what
// Prometheus' own text parser accepts for untyped samples: a metric name, optional labels with
// `\\`, `\"` and `\n` escapes (a trailing comma allowed), a float value (`NaN`, `+Inf`, `-Inf`,
// exponents) and an optional integer timestamp in milliseconds. A malformed line is an error
// naming its line number: a scrape that cannot be read whole is treated as failed, not half used.

export interface PromSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  /** The sample's own timestamp (ms since the epoch), when the exposition carries one. */
  timestampMs?: number;
}

export class PrometheusParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'PrometheusParseError';
  }
}

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
/** Go's ParseFloat forms that exporters write: decimals with exponents, NaN and the infinities. */
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[Ii]nf(?:inity)?)$|^NaN$/;
const INTEGER = /^-?\d+$/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n' };

/** A cursor over one line. */
class LineReader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly lineNo: number,
  ) {}

  fail(reason: string): never {
    throw new PrometheusParseError(this.lineNo, reason);
  }

  skipBlanks(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  token(re: RegExp, what: string): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) this.fail(`expected ${what} at column ${this.pos + 1}`);
    this.pos = re.lastIndex;
    return m[0];
  }

  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}' at column ${this.pos + 1}`);
    this.pos++;
  }

  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const ch = this.text[this.pos++];
      if (ch === undefined) this.fail('unterminated label value');
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = ESCAPES[this.text[this.pos++] ?? ''];
      if (esc === undefined) this.fail(`invalid escape in label value at column ${this.pos}`);
      out += esc;
    }
  }

  labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    this.expect('{');
    for (;;) {
      this.skipBlanks();
      if (this.text[this.pos] === '}') break;
      const name = this.token(LABEL_NAME, 'a label name');
      this.skipBlanks();
      this.expect('=');
      this.skipBlanks();
      if (Object.hasOwn(labels, name)) this.fail(`label ${name} repeated`);
      labels[name] = this.quoted();
      this.skipBlanks();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail(`expected ',' or '}' at column ${this.pos + 1}`);
    }
    this.pos++;
    return labels;
  }
}

function parseFloatToken(token: string, r: LineReader): number {
  if (!FLOAT.test(token)) r.fail(`invalid value ${JSON.stringify(token)}`);
  if (token === 'NaN') return Number.NaN;
  if (/inf/i.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  return Number(token);
}

function parseSampleLine(line: string, lineNo: number): PromSample {
  const r = new LineReader(line, lineNo);
  r.skipBlanks();
  const name = r.token(METRIC_NAME, 'a metric name');
  r.skipBlanks();
  const labels = r.text[r.pos] === '{' ? r.labels() : {};
  const rest = r.text.slice(r.pos).trim().split(/[ \t]+/);
  if (rest.length === 0 || rest[0] === '') r.fail('missing value');
  if (rest.length > 2) r.fail('unexpected text after the timestamp');
  const sample: PromSample = { name, labels, value: parseFloatToken(rest[0] ?? '', r) };
  if (rest[1] !== undefined) {
    if (!INTEGER.test(rest[1])) r.fail(`invalid timestamp ${JSON.stringify(rest[1])}`);
    sample.timestampMs = Number(rest[1]);
  }
  return sample;
}

/** Every sample of an exposition, in order. Throws PrometheusParseError on a malformed line. */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    samples.push(parseSampleLine(line, i + 1));
  }
  return samples;
}
