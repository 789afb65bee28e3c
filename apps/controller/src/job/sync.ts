// syncJob: one reconcile of one Job key, in named steps (Kubernetes' syncJob):
//   look up the Job → (finished: release leftover finalizers, done) → make sure the pod cache is
//   as new as the Job → claim its pods → account for them (accounting.ts) → decide whether it
//   has finished (finish.ts) → act: delete the pods of a finishing or suspended Job, else create
//   or delete pods (manage.ts), only when earlier creates/deletes have all been observed, and at
//   the same time track the status with the finalizer protocol (tracking.ts) → requeue for the
//   back-off or deadline.
// Reads come from the informer caches; cached objects are never modified.
import type { Job, JobStatus, Pod } from '@kite/api-types';
import { objectKey, type Indexer, type ResourceClient } from '@kite/client';
import { claimOwnedPods, selectorOrWarn } from '../framework/owned-pod-claims.js';
import { EVENT_NORMAL } from '../framework/events.js';
import { CONTROLLER_UID_INDEX } from '../framework/informers.js';
import { forReading } from '../framework/owners.js';
import type { ReadonlyPod } from '../framework/pods.js';
import { type SyncResult } from '../framework/runner.js';
import { account, type Accounting } from './accounting.js';
import { JOB_SUSPENDED, REASON_JOB_RESUMED, REASON_JOB_SUSPENDED, conditionOf, isJobFinished, setCondition, type FinishedCondition } from './conditions.js';
import { deadlineIn, finishedCondition } from './finish.js';
import { hasTrackingFinalizer, type ReadonlyJob } from './job-pods.js';
import { deleteJobPods, manageJob, type ManageDeps, type ManageResult } from './manage.js';
import { trackJobStatus, type TrackDeps } from './tracking.js';

export { REASON_INVALID_SELECTOR } from '../framework/owned-pod-claims.js';
export const REASON_SUSPENDED = 'Suspended';
export const REASON_RESUMED = 'Resumed';
/** How soon to look again when the pod cache is behind the Job (it catches up within a watch event). */
export const STALE_POD_CACHE_RETRY_MS = 50;

export interface JobSyncDeps extends ManageDeps, TrackDeps {
  jobStore: Indexer<Job>;
  podStore: Indexer<Pod>;
  pods: ResourceClient<Pod>;
  /** The revision the pod cache reflects. */
  podCacheRevision: () => string | undefined;
}

export async function syncJob(deps: JobSyncDeps, key: string): Promise<SyncResult | void> {
  const job = deps.jobStore.get(key);
  if (!job) {
    deps.expectations.forget(key);
    return;
  }
  if (isJobFinished(job)) return releaseLeftovers(deps, job);
  const selector = selectorOrWarn(deps.recorder, job);
  if (!selector) return;
  const pods = await claimOwnedPods(deps, job, selector);
  const a = account(job, pods);
  // Counting a pod by UID needs a pod cache at least as new as the Job: a cache one finalizer
  // removal behind would show an already-counted pod as new.
  if ((a.newSucceeded.length > 0 || a.newFailed.length > 0) && isBehind(deps.podCacheRevision(), job.metadata.resourceVersion)) {
    return { requeueAfterMs: STALE_POD_CACHE_RETRY_MS };
  }
  const now = deps.now();
  const finished = finishedCondition(job, a, now);
  const base = baseStatus(deps, job, a, finished, now);
  // Creating or deleting pods and tracking the finished ones touch different pods: run them side
  // by side, so a sync costs the longer of the two rather than their sum.
  const [acting, tracking] = await Promise.allSettled([act(deps, job, pods, a, finished), trackJobStatus(deps, { job, pods, accounting: a, base, finished })]);
  if (tracking.status === 'rejected') throw tracking.reason;
  if (acting.status === 'rejected') throw acting.reason;
  if (acting.value.error !== undefined) throw acting.value.error;
  return nextSync(job, acting.value, now, finished);
}

/** Deletes what a finishing or suspended Job must not run; otherwise manages its pods. */
async function act(deps: JobSyncDeps, job: ReadonlyJob, pods: readonly ReadonlyPod[], a: Accounting, finished: FinishedCondition | undefined): Promise<ManageResult> {
  if (finished) {
    if (a.active.length === 0) return {};
    // A failing Job's running pods are counted as failed (tracking.ts); a succeeding one's are not.
    return { error: await deleteJobPods(deps, job, a.active, { uncounted: finished.type === 'SuccessCriteriaMet' }) };
  }
  if (!deps.expectations.satisfied(objectKey(job)) || job.metadata.deletionTimestamp) return {};
  if (job.spec?.suspend) return a.active.length > 0 ? { error: await deleteJobPods(deps, job, a.active, { uncounted: true }) } : {};
  return manageJob(deps, job, pods, a);
}

/** active, ready, terminating, startTime and the Suspended condition. */
function baseStatus(deps: JobSyncDeps, job: ReadonlyJob, a: Accounting, finished: FinishedCondition | undefined, now: number): JobStatus {
  const conditions = structuredClone(forReading(job).status?.conditions ?? []);
  const base: JobStatus = { active: a.active.length, ready: a.ready, terminating: a.terminating, conditions };
  let startTime = job.status?.startTime;
  if (job.spec?.suspend && !finished) {
    if (setCondition(conditions, JOB_SUSPENDED, 'True', REASON_JOB_SUSPENDED, 'Job suspended', now)) {
      deps.recorder.event(job, EVENT_NORMAL, REASON_SUSPENDED, 'Job suspended');
      // The active deadline counts from the resume, not from the first start.
      startTime = undefined;
    }
  } else if (!job.spec?.suspend && conditionOf(job, JOB_SUSPENDED)?.status === 'True') {
    setCondition(conditions, JOB_SUSPENDED, 'False', REASON_JOB_RESUMED, 'Job resumed', now);
    deps.recorder.event(job, EVENT_NORMAL, REASON_RESUMED, 'Job resumed');
    startTime = new Date(now).toISOString();
  }
  if (!startTime && !job.spec?.suspend) startTime = new Date(now).toISOString();
  if (startTime) base.startTime = startTime;
  else base.startTime = undefined;
  return base;
}

/** Requeue for the end of a back-off, or the active deadline. */
function nextSync(job: ReadonlyJob, acted: ManageResult, now: number, finished: FinishedCondition | undefined): SyncResult | undefined {
  if (finished) return undefined;
  const deadline = deadlineIn(job.status?.startTime ? job : { ...job, status: { ...job.status, startTime: new Date(now).toISOString() } }, now);
  const waits = [acted.requeueAfterMs, deadline !== undefined ? Math.max(deadline, 0) + 1 : undefined].filter((w): w is number => w !== undefined);
  return waits.length > 0 ? { requeueAfterMs: Math.min(...waits) } : undefined;
}

/** A finished Job keeps no pod from going away: release any finalizer still held. */
async function releaseLeftovers(deps: JobSyncDeps, job: ReadonlyJob): Promise<void> {
  const held = deps.podStore.byIndex(CONTROLLER_UID_INDEX, job.metadata.uid ?? '').filter(hasTrackingFinalizer);
  await Promise.all(held.map((p) => deps.removeFinalizer(p)));
}

/** Whether the pod cache revision is older than the Job's resourceVersion. */
function isBehind(podRevision: string | undefined, jobRevision: string | undefined): boolean {
  if (podRevision === undefined || jobRevision === undefined) return false;
  const p = Number(podRevision);
  const j = Number(jobRevision);
  return Number.isFinite(p) && Number.isFinite(j) && p < j;
}

