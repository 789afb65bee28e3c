// How the metrics APIs spell numbers (quantities.ts): CPU and memory as Quantities, metric values
// in milli-units, windows as Go durations.
import { describe, expect, it } from 'vitest';
import { cpuQuantity, goDuration, memoryQuantity, milliQuantity } from '../../../src/metrics/quantities.js';

describe('quantities', () => {
  it.each([
    { name: 'one core', got: () => cpuQuantity(1), want: '1' },
    { name: 'a quarter core', got: () => cpuQuantity(0.25), want: '250m' },
    { name: 'nanocores', got: () => cpuQuantity(0.001234567), want: '1234567n' },
    { name: 'no CPU', got: () => cpuQuantity(0), want: '0' },
    { name: 'negative CPU clamps to 0', got: () => cpuQuantity(-0.5), want: '0' },
    { name: 'memory in Mi when exact', got: () => memoryQuantity(12 * 1024 * 1024), want: '12Mi' },
    { name: 'memory in Ki when exact', got: () => memoryQuantity(3072), want: '3Ki' },
    { name: 'memory in bytes otherwise', got: () => memoryQuantity(12_345_679), want: '12345679' },
    { name: 'a rate of 1.5 per second', got: () => milliQuantity(1.5), want: '1500m' },
    { name: 'a rate of 3 per second', got: () => milliQuantity(3), want: '3' },
    { name: 'a rate of zero', got: () => milliQuantity(0), want: '0' },
  ])('$name → $want', ({ got, want }) => {
    expect(got()).toBe(want);
  });

  it.each([
    { ms: 15_002, want: '15.002s' },
    { ms: 1000, want: '1s' },
    { ms: 500, want: '500ms' },
    { ms: 60_500, want: '1m0.5s' },
    { ms: 3_600_000, want: '1h0m0s' },
    { ms: 0.0015, want: '1.5µs' },
    { ms: 0.000001, want: '1ns' },
    { ms: 0, want: '0s' },
    { ms: -1500, want: '-1.5s' },
  ])('goDuration($ms) → $want', ({ ms, want }) => {
    expect(goDuration(ms)).toBe(want);
  });
});
