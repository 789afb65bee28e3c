// Per-pod back-off: the delay before a pod that failed to schedule is tried again, doubling per
// attempt from 1 s up to 10 s (1, 2, 4, 8, 10, 10, …), counted from its last attempt.

/** Delay after the first failed attempt. */
export const INITIAL_BACKOFF_MS = 1_000;
/** Longest delay, however often the pod failed. */
export const MAX_BACKOFF_MS = 10_000;

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: INITIAL_BACKOFF_MS, maxMs: MAX_BACKOFF_MS };

/** The back-off after `attempts` failed attempts (0 attempts: none). */
export function backoffDuration(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (attempts <= 0) return 0;
  // 2^30 ms is far beyond any sane maximum; cap the exponent so the product stays finite.
  const d = policy.initialMs * 2 ** Math.min(attempts - 1, 30);
  return Math.min(d, policy.maxMs);
}
