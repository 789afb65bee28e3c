// parseGoDuration (Go's time.ParseDuration grammar) and the scale-to-zero annotation built on it.
import { describe, expect, it } from 'vitest';
import { parseGoDuration, SCALE_TO_ZERO_AFTER_ANNOTATION, scaleToZeroSetting } from '../src/index.js';

describe('parseGoDuration', () => {
  it.each([
    ['60s', 60_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2h45m10s', 9_910_000],
    ['300ms', 300],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1.s', 1000],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['0', 0],
    ['+3s', 3000],
    ['-90s', -90_000],
    ['1m0s', 60_000],
  ])('%s is %d ms', (text, want) => {
    expect(parseGoDuration(text)).toBeCloseTo(want, 9);
  });

  it.each(['', '60', '5', 's', '1x', '1 s', ' 1s', '1s ', '1.2.3s', '1d', '-', 'ms', '1sm', '.s', 'abc'])('%j is not a duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('scaleToZeroSetting', () => {
  const on = (v: string) => ({ [SCALE_TO_ZERO_AFTER_ANNOTATION]: v });
  it.each([
    ['no annotations', undefined, { kind: 'off' }],
    ['other annotations', { a: 'b' }, { kind: 'off' }],
    ['60s', on('60s'), { kind: 'after', afterMs: 60_000, text: '60s' }],
    ['5m with spaces around', on(' 5m '), { kind: 'after', afterMs: 300_000, text: '5m' }],
  ])('%s', (_name, annotations, want) => {
    expect(scaleToZeroSetting(annotations)).toEqual(want);
  });

  it.each([
    ['not a duration', 'soon', 'is not a duration such as 60s or 5m'],
    ['a bare number', '60', 'is not a duration such as 60s or 5m'],
    ['zero', '0s', 'must be greater than 0'],
    ['negative', '-5m', 'must be greater than 0'],
  ])('%s is invalid and says why', (_name, value, why) => {
    const got = scaleToZeroSetting(on(value));
    expect(got.kind).toBe('invalid');
    expect(got.kind === 'invalid' && got.message).toContain(why);
    expect(got.kind === 'invalid' && got.message).toContain(SCALE_TO_ZERO_AFTER_ANNOTATION);
  });
});
