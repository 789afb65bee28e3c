// Job tracking with finalizers: how a finished pod gets into the Job's counts exactly once, even
// across controller restarts (Kubernetes' trackJobStatusAndRemoveFinalizers).
//
// Three steps, each durable before the next begins:
//   1. Record: write the UIDs of newly finished pods into status.uncountedTerminatedPods (an
//      Indexed Job's successes go straight into completedIndexes: a set never counts twice),
//      with the interim FailureTarget / SuccessCriteriaMet condition when the Job is finishing.
//   2. Release: remove the job-tracking finalizer from those pods.
//   3. Count: every recorded UID whose pod no longer has the finalizer (or is gone) moves from
//      uncountedTerminatedPods into succeeded / failed. Once nothing is uncounted and no pod
//      keeps the finalizer, the final Complete / Failed condition is written.
// A crash after 1 leaves the UIDs recorded: the next sync releases and counts them. A crash after
// 2 leaves them recorded without finalizers: the next sync counts them. A pod is "new" only while
// it has the finalizer and is not recorded (accounting.ts), so nothing is counted twice.
// Status writes carry the cached resourceVersion: one based on a stale Job is refused (409) and the
// sync retried, never written over a newer count.
import type { Job, JobStatus } from '@kite/api-types';
import { mutableCopy, type ResourceClient } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { ReadonlyPod } from '../framework/pods.js';
import type { Accounting } from './accounting.js';
import { finalType, JOB_COMPLETE, setCondition, type FinishedCondition } from './conditions.js';
import { formatIndexes } from './indexes.js';
import { hasTrackingFinalizer, isIndexed, isPodSucceeded, validIndex, type ReadonlyJob } from './job-pods.js';

/** Event reason when a Job completes (Kubernetes' "Completed"). */
export const REASON_COMPLETED = 'Completed';
/** Finalizer removals sent at once. */
const RELEASE_CONCURRENCY = 50;

export interface TrackDeps {
  jobs: ResourceClient<Job>;
  removeFinalizer: (pod: ReadonlyPod) => Promise<void>;
  recorder: Recorder;
  now: () => number;
}

export interface TrackInput {
  job: ReadonlyJob;
  pods: readonly ReadonlyPod[];
  accounting: Accounting;
  /** Status fields the sync computed (active, ready, startTime, Suspended condition, …). */
  base: JobStatus;
  finished?: FinishedCondition;
}

export async function trackJobStatus(deps: TrackDeps, input: TrackInput): Promise<ReadonlyJob> {
  const { finished } = input;
  const recorded = recordStatus(input, deps.now());
  let job = await writeIfChanged(deps, input.job, recorded);
  const uncounted = new Set([...(recorded.uncountedTerminatedPods?.succeeded ?? []), ...(recorded.uncountedTerminatedPods?.failed ?? [])]);
  const release = input.pods.filter((p) => hasTrackingFinalizer(p) && mayRelease(input, p, uncounted));
  const { released, error } = await releaseAll(deps, release);
  const stillHeld = new Set(input.pods.filter((p) => hasTrackingFinalizer(p) && !released.has(p.metadata.uid ?? '')).map((p) => p.metadata.uid ?? ''));
  const counted = countReleased(recorded, stillHeld);
  if (finished && !hasUncounted(counted) && stillHeld.size === 0) finish(deps, job, counted, finished);
  job = await writeIfChanged(deps, job, counted);
  // A finalizer that could not be removed is retried by the runner's back-off.
  if (error !== undefined) throw error;
  return job;
}

/** Step 1: the status with new finished pods recorded and the interim condition added. */
function recordStatus(input: TrackInput, now: number): JobStatus {
  const { job, accounting: a, finished } = input;
  const status: JobStatus = { ...structuredClone(mutableCopy(job).status ?? {}), ...input.base };
  const succeeded = [...a.uncountedSucceeded, ...a.newSucceeded.map((p) => p.metadata.uid ?? '')];
  const failed = [...a.uncountedFailed, ...a.newFailed.map((p) => p.metadata.uid ?? '')];
  // A failing Job's pods still running are failures too (they are about to be deleted).
  if (finished && finished.type !== 'SuccessCriteriaMet') {
    for (const p of a.active) if (hasTrackingFinalizer(p) && !failed.includes(p.metadata.uid ?? '')) failed.push(p.metadata.uid ?? '');
  }
  status.uncountedTerminatedPods = { ...(succeeded.length > 0 ? { succeeded } : {}), ...(failed.length > 0 ? { failed } : {}) };
  if (isIndexed(job)) {
    status.completedIndexes = formatIndexes(a.completed);
    status.succeeded = a.completed.size;
  }
  if (job.spec?.backoffLimitPerIndex !== undefined) status.failedIndexes = formatIndexes(a.failedIndexes);
  if (finished) {
    const conditions = (status.conditions ??= []);
    setCondition(conditions, finished.type, 'True', finished.reason, finished.message, now);
  }
  return status;
}

/** Whether step 2 may take the finalizer off `pod` now. */
function mayRelease(input: TrackInput, pod: ReadonlyPod, uncounted: ReadonlySet<string>): boolean {
  const { job, finished, accounting: a } = input;
  if (uncounted.has(pod.metadata.uid ?? '')) return true;
  if (job.metadata.deletionTimestamp || finished) return true;
  if (a.ignored.includes(pod)) return true;
  const terminal = isPodSucceeded(pod) || pod.status?.phase === 'Failed';
  // An Indexed Job's success is recorded in completedIndexes; a pod with no valid index never counts.
  return isIndexed(job) && terminal && (isPodSucceeded(pod) || validIndex(job, pod) === undefined);
}

/** Step 2: removes the finalizers; returns the UIDs released (a pod already gone counts as released). */
async function releaseAll(deps: TrackDeps, pods: readonly ReadonlyPod[]): Promise<{ released: Set<string>; error: unknown }> {
  const released = new Set<string>();
  let firstError: unknown;
  for (let i = 0; i < pods.length; i += RELEASE_CONCURRENCY) {
    const batch = pods.slice(i, i + RELEASE_CONCURRENCY);
    const results = await Promise.allSettled(batch.map((p) => deps.removeFinalizer(p)));
    results.forEach((r, j) => {
      if (r.status === 'fulfilled') released.add(batch[j]?.metadata.uid ?? '');
      else firstError ??= r.reason;
    });
  }
  return { released, error: firstError };
}

/** Step 3: recorded UIDs without a finalizer move into the counts. */
function countReleased(recorded: JobStatus, stillHeld: ReadonlySet<string>): JobStatus {
  const status = structuredClone(recorded);
  const u = status.uncountedTerminatedPods ?? {};
  const done = (uids: string[] | undefined) => (uids ?? []).filter((uid) => !stillHeld.has(uid));
  const doneSucceeded = done(u.succeeded);
  const doneFailed = done(u.failed);
  status.succeeded = (status.succeeded ?? 0) + doneSucceeded.length;
  status.failed = (status.failed ?? 0) + doneFailed.length;
  const left = (uids: string[] | undefined) => (uids ?? []).filter((uid) => stillHeld.has(uid));
  const s = left(u.succeeded);
  const f = left(u.failed);
  status.uncountedTerminatedPods = { ...(s.length > 0 ? { succeeded: s } : {}), ...(f.length > 0 ? { failed: f } : {}) };
  return status;
}

const hasUncounted = (s: JobStatus): boolean => (s.uncountedTerminatedPods?.succeeded?.length ?? 0) + (s.uncountedTerminatedPods?.failed?.length ?? 0) > 0;

/** The final condition, once every pod is counted. */
function finish(deps: TrackDeps, job: ReadonlyJob, status: JobStatus, f: FinishedCondition): void {
  const now = deps.now();
  const type = finalType(f);
  setCondition((status.conditions ??= []), type, 'True', f.reason, f.message, now);
  status.active = 0;
  status.ready = 0;
  if (type === JOB_COMPLETE) {
    status.completionTime = new Date(now).toISOString();
    deps.recorder.event(job, EVENT_NORMAL, REASON_COMPLETED, 'Job completed');
  } else {
    deps.recorder.event(job, EVENT_WARNING, f.reason, f.message);
  }
}

async function writeIfChanged(deps: TrackDeps, job: ReadonlyJob, status: JobStatus): Promise<ReadonlyJob> {
  if (JSON.stringify(normalise(job.status)) === JSON.stringify(normalise(status))) return job;
  const copy = mutableCopy(job);
  copy.status = status;
  return deps.jobs.updateStatus(copy);
}

/** The status without empty lists, so {} and {succeeded: []} compare equal. */
function normalise(s: unknown): unknown {
  return JSON.parse(JSON.stringify(s ?? {}, (_k, v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v)));
}
