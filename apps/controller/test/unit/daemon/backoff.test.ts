// Table test of the failed-daemon-pod back-off (src/daemon/backoff.ts) on a test clock.
import { describe, expect, it } from 'vitest';
import { FAILED_POD_BACKOFF_INITIAL_MS, FAILED_POD_BACKOFF_MAX_MS, FailedPodBackoff } from '../../../src/daemon/backoff.js';

describe('FailedPodBackoff', () => {
  it.each([
    { name: 'no failure yet: go ahead', deletions: 0, after: 0, want: 0 },
    { name: 'one deletion: wait the initial delay', deletions: 1, after: 0, want: FAILED_POD_BACKOFF_INITIAL_MS },
    { name: 'half-way through', deletions: 1, after: FAILED_POD_BACKOFF_INITIAL_MS / 2, want: FAILED_POD_BACKOFF_INITIAL_MS / 2 },
    { name: 'three deletions: the delay doubled twice', deletions: 3, after: 0, want: 4 * FAILED_POD_BACKOFF_INITIAL_MS },
    { name: 'capped', deletions: 40, after: 0, want: FAILED_POD_BACKOFF_MAX_MS },
    { name: 'over', deletions: 1, after: 2 * FAILED_POD_BACKOFF_INITIAL_MS, want: 0 },
  ])('$name', ({ deletions, after, want }) => {
    let now = 1_000_000;
    const b = new FailedPodBackoff(() => now);
    for (let i = 0; i < deletions; i++) b.next('ds/node');
    now += after;
    expect(b.remaining('ds/node')).toBe(want);
    expect(b.remaining('ds/other-node')).toBe(0);
  });

  it('forgets every node of a deleted DaemonSet', () => {
    const b = new FailedPodBackoff(() => 0);
    b.next('uid-1/a');
    b.next('uid-2/a');
    b.forgetPrefix('uid-1/');
    expect([b.remaining('uid-1/a'), b.remaining('uid-2/a')]).toEqual([0, FAILED_POD_BACKOFF_INITIAL_MS]);
  });
});
