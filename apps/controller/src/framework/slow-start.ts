// slowStartBatch: run `count` calls of `fn` in batches of growing size — 1, 2, 4, 8, … — stopping
// after the first batch in which any call failed.
//
// Why: a ReplicaSet of 1,000 replicas must not create its pods one round trip after another, but
// if every create is going to fail (quota, a webhook, an invalid template) it must not send 1,000
// doomed requests either. Starting with one call and doubling on success reaches full speed
// within log2(n) batches and wastes at most one batch when the apiserver refuses.
// Example: count 10, initial 1 → batches of 1, 2, 4, 3. A failure in the batch of 4 stops there:
// 7 attempted, the last 3 skipped (the caller lowers its expectations by the skipped count).
// Calls within one batch run concurrently, capped at `maxConcurrency`. A caller that has just seen
// a round succeed may start the next one at a larger `initialBatch` (see replicaset/replicas.ts).

/** Largest batch size: beyond this one process gains nothing and the apiserver queues requests. */
export const SLOW_START_MAX_BATCH = 250;

export interface SlowStartResult {
  /** Calls that resolved. */
  succeeded: number;
  /** Calls never attempted because an earlier batch failed. */
  skipped: number;
  /** The errors of failed calls, in order. */
  errors: unknown[];
  /** Size of the last batch run (0 when none ran). */
  lastBatch: number;
}

export async function slowStartBatch(
  count: number,
  initialBatch: number,
  fn: (index: number) => Promise<void>,
  maxConcurrency = SLOW_START_MAX_BATCH,
): Promise<SlowStartResult> {
  let remaining = count;
  let next = 0;
  let succeeded = 0;
  const errors: unknown[] = [];
  let lastBatch = 0;
  for (let batch = Math.min(remaining, Math.max(1, initialBatch)); batch > 0; batch = Math.min(2 * batch, remaining, maxConcurrency)) {
    const indices = Array.from({ length: batch }, (_, i) => next + i);
    next += batch;
    remaining -= batch;
    lastBatch = batch;
    const results = await Promise.allSettled(indices.map((i) => fn(i)));
    for (const r of results) {
      if (r.status === 'fulfilled') succeeded++;
      else errors.push(r.reason);
    }
    if (errors.length > 0) break;
  }
  return { succeeded, skipped: remaining, errors, lastBatch };
}
