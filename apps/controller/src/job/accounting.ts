// The accounting picture of one Job at one sync: which pods are active, which finished pods are
// new (not yet in the Job's status), and the counts they add up to. A pure function of the Job
// and its pods, so the counting rules are table-tested.
//
// The job-tracking rules (Kubernetes' getNewFinishedPods / trackJobStatusAndRemoveFinalizers):
// - A finished pod is new when it still has the tracking finalizer and its UID is not yet in
//   status.uncountedTerminatedPods. A pod without the finalizer has already been counted (or was
//   deliberately never counted, as pods deleted by a suspend), so it is never counted again.
// - succeeded = status.succeeded + uncounted succeeded + new succeeded. For an Indexed Job the
//   completed index set is the count instead (a set: an index never counts twice).
// - failed = status.failed + uncounted failed + new failed that count: a failure a podFailurePolicy
//   rule marks Ignore does not count.
// - backoffLimitPerIndex: an index fails when a failed pod of it had already `limit` failures
//   before it (annotation job-index-failure-count), or a FailIndex rule matched.
import type { DeepReadonly } from '@kite/client';
import { isPodActive, isPodReady, isPodTerminating, type ReadonlyPod } from '../framework/pods.js';
import { matchPodFailurePolicy, type PolicyMatch } from './failure-policy.js';
import { parseIndexes } from './indexes.js';
import { hasTrackingFinalizer, indexFailureCount, isIndexed, isPodFailed, isPodSucceeded, validIndex, type ReadonlyJob } from './job-pods.js';

export interface Accounting {
  active: ReadonlyPod[];
  ready: number;
  terminating: number;
  /** UIDs already recorded as terminated but not yet counted. */
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  /** Finished pods with the finalizer, not yet recorded. */
  newSucceeded: ReadonlyPod[];
  newFailed: ReadonlyPod[];
  /** New failures a podFailurePolicy Ignore rule excludes from counting. */
  ignored: ReadonlyPod[];
  /** The first FailJob match among new failures. */
  failJob?: PolicyMatch;
  /** Indexed: indexes succeeded (status + new). */
  completed: Set<number>;
  /** backoffLimitPerIndex: indexes failed for good (status + new). */
  failedIndexes: Set<number>;
  succeeded: number;
  failed: number;
}

type UIDs = DeepReadonly<string[]> | undefined;
const uidSet = (u: UIDs): Set<string> => new Set(u ?? []);

export function account(job: ReadonlyJob, pods: readonly ReadonlyPod[]): Accounting {
  const status = job.status ?? {};
  const completions = job.spec?.completions ?? 0;
  const a: Accounting = {
    active: pods.filter(isPodActive),
    ready: 0,
    terminating: pods.filter((p) => isPodTerminating(p) && !isPodSucceeded(p) && p.status?.phase !== 'Failed').length,
    uncountedSucceeded: uidSet(status.uncountedTerminatedPods?.succeeded),
    uncountedFailed: uidSet(status.uncountedTerminatedPods?.failed),
    newSucceeded: [],
    newFailed: [],
    ignored: [],
    completed: parseIndexes(status.completedIndexes, completions),
    failedIndexes: parseIndexes(status.failedIndexes, completions),
    succeeded: 0,
    failed: 0,
  };
  a.ready = a.active.filter(isPodReady).length;
  for (const pod of pods) classify(job, pod, a);
  const indexed = isIndexed(job);
  a.succeeded = indexed ? a.completed.size : (status.succeeded ?? 0) + a.uncountedSucceeded.size + a.newSucceeded.length;
  a.failed = (status.failed ?? 0) + a.uncountedFailed.size + a.newFailed.length;
  return a;
}

/** Sorts one pod into the new-succeeded / new-failed / ignored lists. */
function classify(job: ReadonlyJob, pod: ReadonlyPod, a: Accounting): void {
  const uid = pod.metadata.uid ?? '';
  if (!hasTrackingFinalizer(pod) || a.uncountedSucceeded.has(uid) || a.uncountedFailed.has(uid)) return;
  const indexed = isIndexed(job);
  const ix = indexed ? validIndex(job, pod) : undefined;
  if (indexed && ix === undefined) return;
  if (isPodSucceeded(pod)) {
    if (ix !== undefined) a.completed.add(ix);
    else a.newSucceeded.push(pod);
    return;
  }
  if (!isPodFailed(pod, job)) return;
  const match = pod.status?.phase === 'Failed' ? matchPodFailurePolicy(job.spec?.podFailurePolicy, pod) : undefined;
  if (match?.action === 'Ignore') {
    a.ignored.push(pod);
    return;
  }
  a.newFailed.push(pod);
  if (match?.action === 'FailJob' && !a.failJob) a.failJob = match;
  if (ix === undefined || job.spec?.backoffLimitPerIndex === undefined || a.completed.has(ix)) return;
  if (match?.action === 'FailIndex' || indexFailureCount(pod) >= job.spec.backoffLimitPerIndex) a.failedIndexes.add(ix);
}
