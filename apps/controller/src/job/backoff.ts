// Pod re-creation back-off after failures, as Kubernetes' job controller computes it: the n-th
// consecutive failure (counted since the last success) delays the next pod by base·2^(n-1),
// capped, measured from the last failure. Stateless: the inputs come from the pods in the cache,
// so a restarted controller waits exactly as long as the one before it would have.
// Example: base 10 s, cap 6 min — failures 1, 2, 3, … wait 10 s, 20 s, 40 s, … 320 s, 360 s.

/** Kubernetes' DefaultJobPodFailureBackOff. */
export const DEFAULT_JOB_BACKOFF_BASE_MS = 10_000;
/** Kubernetes' MaxJobPodFailureBackOff. */
export const MAX_JOB_BACKOFF_MS = 6 * 60_000;

/** The delay owed after `failures` consecutive failures (0 for none). */
export function backoffDelay(failures: number, baseMs: number, maxMs = MAX_JOB_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  let delay = baseMs;
  for (let i = 1; i < failures && delay < maxMs; i++) delay *= 2;
  return Math.min(delay, maxMs);
}

export interface FailureRecord {
  /** Failures since the last success. */
  failures: number;
  /** When the last of them happened (epoch ms). */
  lastFailureAt: number;
}

/** Milliseconds left before a new pod may be created; 0 when none are owed. */
export function backoffRemaining(record: FailureRecord, now: number, baseMs: number, maxMs = MAX_JOB_BACKOFF_MS): number {
  const delay = backoffDelay(record.failures, baseMs, maxMs);
  return Math.max(0, record.lastFailureAt + delay - now);
}

/**
 * Failures since the last success, from the finish times of succeeded and failed pods.
 * Example: failed at 1,2, succeeded at 3, failed at 5,8 → {failures 2, lastFailureAt 8}.
 */
export function failureRecord(finished: readonly { failed: boolean; at: number }[]): FailureRecord {
  const lastSuccess = Math.max(-Infinity, ...finished.filter((f) => !f.failed).map((f) => f.at));
  const after = finished.filter((f) => f.failed && f.at > lastSuccess);
  return { failures: after.length, lastFailureAt: Math.max(0, ...after.map((f) => f.at)) };
}
