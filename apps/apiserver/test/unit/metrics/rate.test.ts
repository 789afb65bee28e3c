// Rates from two readings (rate.ts): CPU from cumulative core-seconds over the readings' own
// timestamps, request counters the Prometheus way (a new series counts from zero, a reset counts
// what it holds).
import { describe, expect, it } from 'vitest';
import { counterRate, cumulativeRate } from '../../../src/metrics/rate.js';

describe('cumulativeRate', () => {
  it.each([
    { name: 'the worked example: 1.5 core-seconds over 15 s', prev: [100_000, 12], last: [115_000, 13.5], want: { perSecond: 0.1, windowMs: 15_000 } },
    { name: 'one core spun for 1 s', prev: [0, 0], last: [1000, 1], want: { perSecond: 1, windowMs: 1000 } },
    { name: 'an idle container', prev: [0, 5], last: [2000, 5], want: { perSecond: 0, windowMs: 2000 } },
    { name: 'a reset counter (restarted) has no rate', prev: [0, 10], last: [1000, 1], want: undefined },
    { name: 'the same reading twice has no rate', prev: [1000, 1], last: [1000, 2], want: undefined },
    { name: 'readings out of order have no rate', prev: [2000, 1], last: [1000, 2], want: undefined },
    { name: 'NaN has no rate', prev: [0, Number.NaN], last: [1000, 2], want: undefined },
  ])('$name', ({ prev, last, want }) => {
    const got = cumulativeRate({ timestampMs: prev[0] ?? 0, value: prev[1] ?? 0 }, { timestampMs: last[0] ?? 0, value: last[1] ?? 0 });
    if (want === undefined) expect(got).toBeUndefined();
    else {
      expect(got?.windowMs).toBe(want.windowMs);
      expect(got?.perSecond).toBeCloseTo(want.perSecond, 9);
    }
  });
});

describe('counterRate', () => {
  it.each([
    { name: '30 requests in 10 s', prev: 10, last: 40, windowMs: 10_000, want: 3 },
    { name: 'a series new since the last scrape counted from zero', prev: undefined, last: 5, windowMs: 1000, want: 5 },
    { name: 'a reset counts what it holds now', prev: 100, last: 4, windowMs: 2000, want: 2 },
    { name: 'no requests', prev: 7, last: 7, windowMs: 1000, want: 0 },
    { name: 'no window is no rate', prev: 1, last: 9, windowMs: 0, want: 0 },
    { name: 'a negative counter is ignored', prev: 1, last: -3, windowMs: 1000, want: 0 },
  ])('$name', ({ prev, last, windowMs, want }) => {
    expect(counterRate(prev, last, windowMs)).toBeCloseTo(want, 9);
  });
});
