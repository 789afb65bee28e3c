// Pod re-creation back-off: base·2^(n-1) after n consecutive failures, capped, from the last one.
import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffRemaining, failureRecord, MAX_JOB_BACKOFF_MS } from '../../../src/job/backoff.js';

const S = 1000;

describe('job back-off', () => {
  it.each([
    { failures: 0, want: 0 },
    { failures: 1, want: 10 * S },
    { failures: 2, want: 20 * S },
    { failures: 3, want: 40 * S },
    { failures: 6, want: 320 * S },
    { failures: 7, want: 360 * S },
    { failures: 50, want: 360 * S },
  ])('$failures failures wait $want ms', ({ failures, want }) => {
    expect(backoffDelay(failures, 10 * S, MAX_JOB_BACKOFF_MS)).toBe(want);
  });

  it.each([
    { name: 'none', finished: [], want: { failures: 0, lastFailureAt: 0 } },
    { name: 'failures only', finished: [{ failed: true, at: 1 }, { failed: true, at: 4 }], want: { failures: 2, lastFailureAt: 4 } },
    { name: 'a success resets', finished: [{ failed: true, at: 1 }, { failed: false, at: 3 }, { failed: true, at: 5 }, { failed: true, at: 8 }], want: { failures: 2, lastFailureAt: 8 } },
    { name: 'success last', finished: [{ failed: true, at: 1 }, { failed: false, at: 3 }], want: { failures: 0, lastFailureAt: 0 } },
  ])('failure record: $name', ({ finished, want }) => {
    expect(failureRecord(finished)).toEqual(want);
  });

  it.each([
    { failures: 0, last: 0, now: 5 * S, want: 0 },
    { failures: 1, last: 0, now: 4 * S, want: 6 * S },
    { failures: 2, last: 0, now: 25 * S, want: 0 },
    { failures: 3, last: 10 * S, now: 20 * S, want: 30 * S },
  ])('remaining after $failures failures, last at $last, now $now: $want', ({ failures, last, now, want }) => {
    expect(backoffRemaining({ failures, lastFailureAt: last }, now, 10 * S)).toBe(want);
  });
});
