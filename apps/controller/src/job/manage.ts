// manageJob: create or delete pods so an unfinished, unsuspended Job runs the pods it wants.
//
//   wantActive = min(parallelism, completions − succeeded)     (NonIndexed with completions)
//              = parallelism until the first success, then what runs   (without completions)
//              = min(parallelism, completions − completed − failed indexes)   (Indexed)
// Example: completions 200, parallelism 20, 190 succeeded, 12 active → want 10: delete 2.
// - Creations wait out the failure back-off (backoff.ts); the sync is requeued for when it ends.
// - Expectations are raised before any create or delete and lowered for each that failed, so a
//   sync that runs before the cache shows the new pods neither waits forever nor creates twice.
// - Creates go in slow-start batches (1, 2, 4, …) so a doomed template costs one request; a Job
//   whose last round succeeded starts at that round's batch size.
// - Indexed: each missing index gets one pod; duplicates of an index and pods with an index out
//   of range are deleted.
// Returns the milliseconds after which to sync again (back-off), if any.
import { objectKey } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { Expectations } from '../framework/expectations.js';
import type { PodControl } from '../framework/pod-control.js';
import { creationTime, type ReadonlyPod } from '../framework/pods.js';
import { slowStartBatch } from '../framework/slow-start.js';
import { describe } from '../framework/runner.js';
import type { Accounting } from './accounting.js';
import { backoffRemaining, failureRecord } from './backoff.js';
import { firstFreeIndexes } from './indexes.js';
import { completionIndex, finishTime, indexFailureCount, isIndexed, isPodFailed, isPodSucceeded, newJobPod, validIndex, type ReadonlyJob } from './job-pods.js';

/** Most pods created or deleted in one sync (Kubernetes' MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Slow-start's first batch (Kubernetes' SlowStartInitialBatchSize). */
const SLOW_START_INITIAL_BATCH = 1;

export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_FAILED_CREATE = 'FailedCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_DELETE = 'FailedDelete';

export interface ManageDeps {
  podControl: PodControl;
  /** Removes the job-tracking finalizer from a pod (tracking.ts). */
  removeFinalizer: (pod: ReadonlyPod) => Promise<void>;
  expectations: Expectations;
  recorder: Recorder;
  now: () => number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * The slow-start batch each Job has proven (its last round's last batch when every create
   * succeeded), as the ReplicaSet controller keeps it: a Job replacing finished pods round after
   * round does not ramp up from 1 each time; after a failure it starts at 1 again.
   */
  warmBatch: Map<string, number>;
}

export interface ManageResult {
  requeueAfterMs?: number;
  error?: unknown;
}

export function wantActive(job: ReadonlyJob, a: Accounting): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (isIndexed(job)) return Math.max(0, Math.min(parallelism, (completions ?? 0) - a.completed.size - a.failedIndexes.size));
  if (completions === undefined) return a.succeeded > 0 ? a.active.length : parallelism;
  return Math.max(0, Math.min(parallelism, completions - a.succeeded));
}

export async function manageJob(deps: ManageDeps, job: ReadonlyJob, pods: readonly ReadonlyPod[], a: Accounting): Promise<ManageResult> {
  const want = wantActive(job, a);
  const extra = isIndexed(job) ? surplusIndexed(job, a) : [];
  const excess = a.active.length - extra.length - want;
  const toDelete = [...extra, ...newestFirst(a.active.filter((p) => !extra.includes(p))).slice(0, Math.max(0, excess))];
  if (toDelete.length > 0) return { error: await deleteJobPods(deps, job, toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC), { uncounted: true }) };
  const missing = Math.min(want - a.active.length, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (missing <= 0) return {};
  const record = failureRecord(pods.filter((p) => isPodSucceeded(p) || isPodFailed(p, job)).map((p) => ({ failed: !isPodSucceeded(p), at: finishTime(p) })));
  const wait = backoffRemaining(record, deps.now(), deps.backoffBaseMs, deps.backoffMaxMs);
  if (wait > 0) return { requeueAfterMs: wait };
  return { error: await createJobPods(deps, job, newPods(job, pods, a, missing)) };
}

/** The new pods to create: `count` of them, each with the next free index when Indexed. */
function newPods(job: ReadonlyJob, pods: readonly ReadonlyPod[], a: Accounting, count: number) {
  if (!isIndexed(job)) return Array.from({ length: count }, () => newJobPod(job));
  const running = new Set(a.active.map((p) => completionIndex(p)).filter((i): i is number => i !== undefined));
  const indexes = firstFreeIndexes(count, job.spec?.completions ?? 0, a.completed, a.failedIndexes, running);
  return indexes.map((index) => newJobPod(job, { index, indexFailures: failuresOfIndex(job, pods, index) }));
}

/** Earlier failures of `index`: one more than the failure count of its latest failed pod. */
function failuresOfIndex(job: ReadonlyJob, pods: readonly ReadonlyPod[], index: number): number {
  let n = 0;
  for (const p of pods) if (completionIndex(p) === index && isPodFailed(p, job)) n = Math.max(n, indexFailureCount(p) + 1);
  return n;
}

/** Active pods of an Indexed Job to delete: out-of-range indexes and all but one per index. */
function surplusIndexed(job: ReadonlyJob, a: Accounting): ReadonlyPod[] {
  const seen = new Set<number>();
  const out: ReadonlyPod[] = [];
  for (const p of newestFirst(a.active).reverse()) {
    const ix = validIndex(job, p);
    if (ix === undefined || seen.has(ix) || a.completed.has(ix)) out.push(p);
    else seen.add(ix);
  }
  return out;
}

const newestFirst = (pods: readonly ReadonlyPod[]): ReadonlyPod[] => [...pods].sort((x, y) => creationTime(y) - creationTime(x));

async function createJobPods(deps: ManageDeps, job: ReadonlyJob, pods: ReturnType<typeof newPods>): Promise<unknown> {
  const key = objectKey(job);
  const namespace = job.metadata.namespace ?? '';
  deps.expectations.expectCreations(key, pods.length);
  const result = await slowStartBatch(pods.length, deps.warmBatch.get(key) ?? SLOW_START_INITIAL_BATCH, async (i) => {
    try {
      const pod = pods[i];
      if (!pod) return;
      const created = await deps.podControl.createPod(namespace, pod);
      deps.recorder.event(job, EVENT_NORMAL, REASON_SUCCESSFUL_CREATE, `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      deps.expectations.creationFailed(key);
      deps.recorder.event(job, EVENT_WARNING, REASON_FAILED_CREATE, `Error creating: ${describe(err)}`);
      throw err;
    }
  });
  if (result.skipped > 0) deps.expectations.creationFailed(key, result.skipped);
  if (result.errors.length === 0) deps.warmBatch.set(key, Math.max(result.lastBatch, deps.warmBatch.get(key) ?? 0));
  else deps.warmBatch.delete(key);
  return result.errors[0];
}

/**
 * Deletes pods. `uncounted`: remove their tracking finalizer first, so they never count as failed
 * (pods a Job no longer wants, or deleted by a suspend); otherwise tracking counts them.
 */
export async function deleteJobPods(deps: ManageDeps, job: ReadonlyJob, pods: readonly ReadonlyPod[], o: { uncounted: boolean }): Promise<unknown> {
  const key = objectKey(job);
  deps.expectations.expectDeletions(key, pods.map((p) => objectKey(p)));
  const results = await Promise.allSettled(
    pods.map(async (p) => {
      try {
        if (o.uncounted) await deps.removeFinalizer(p);
        await deps.podControl.deletePod(p.metadata.namespace ?? '', p.metadata.name ?? '', p.metadata.uid);
        deps.recorder.event(job, EVENT_NORMAL, REASON_SUCCESSFUL_DELETE, `Deleted pod: ${p.metadata.name ?? ''}`);
      } catch (err) {
        deps.expectations.deletionFailed(key, objectKey(p));
        deps.recorder.event(job, EVENT_WARNING, REASON_FAILED_DELETE, `Error deleting: ${describe(err)}`);
        throw err;
      }
    }),
  );
  return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
}
