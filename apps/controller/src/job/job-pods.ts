// What the Job controller asks of its pods, and how it makes them. Pure functions of the pod.
//
// Contract:
// - Every pod a Job creates carries the job-tracking finalizer: the pod cannot vanish before its
//   outcome is counted in the Job's status (tracking.ts removes the finalizer afterwards).
// - An Indexed Job's pod carries its index as annotation and label
//   `batch.kubernetes.io/job-completion-index`, is named `JOB-INDEX-xxxxx` with hostname
//   `JOB-INDEX`, and every container gets env JOB_COMPLETION_INDEX from that annotation.
// - A pod being deleted that has not succeeded counts as failed (an orphan or evicted pod may
//   never reach phase Failed), unless podReplacementPolicy is Failed.
import {
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_COMPLETION_INDEX_ENV,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  type Job,
  type Pod,
} from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { newControllerRef } from '../framework/owners.js';
import { podFromTemplate } from '../framework/pod-control.js';
import { creationTime, type ReadonlyPod } from '../framework/pods.js';

export type ReadonlyJob = DeepReadonly<Job>;

export const hasTrackingFinalizer = (pod: ReadonlyPod): boolean => (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

export const isIndexed = (job: ReadonlyJob): boolean => job.spec?.completionMode === 'Indexed';

/** The pod's completion index, or undefined when it has none (or not a valid one). */
export function completionIndex(pod: ReadonlyPod): number | undefined {
  const raw = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION] ?? pod.metadata.labels?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** The completion index of an Indexed Job's pod when it is within [0, completions). */
export function validIndex(job: ReadonlyJob, pod: ReadonlyPod): number | undefined {
  const ix = completionIndex(pod);
  return ix !== undefined && ix < (job.spec?.completions ?? 0) ? ix : undefined;
}

/** Failures of this pod's index before it (the annotation the controller set when creating it). */
export function indexFailureCount(pod: ReadonlyPod): number {
  const raw = pod.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
}

/** Kubernetes' isPodFailed: phase Failed, or being deleted without having succeeded. */
export function isPodFailed(pod: ReadonlyPod, job: ReadonlyJob): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed') return false;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded';
}

export const isPodSucceeded = (pod: ReadonlyPod): boolean => pod.status?.phase === 'Succeeded';

/** When the pod finished: its last container's finish time, else its creation time. */
export function finishTime(pod: ReadonlyPod): number {
  let latest = 0;
  for (const s of pod.status?.containerStatuses ?? []) {
    const t = Date.parse(s.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && t > latest) latest = t;
  }
  if (latest > 0) return latest;
  const deleted = Date.parse(pod.metadata.deletionTimestamp ?? '');
  return Number.isNaN(deleted) ? creationTime(pod) : deleted;
}

export interface NewPodOptions {
  /** The completion index (Indexed Jobs). */
  index?: number;
  /** Earlier failures of that index (backoffLimitPerIndex). */
  indexFailures?: number;
}

/** A pod for `job` from its template, with the tracking finalizer and, if given, its index. */
export function newJobPod(job: ReadonlyJob, o: NewPodOptions = {}): Pod {
  const name = job.metadata.name ?? '';
  const owner = o.index === undefined ? name : `${name}-${o.index}`;
  const pod = podFromTemplate(job.spec?.template, owner, job.metadata.namespace ?? '', newControllerRef(job));
  const meta = pod.metadata;
  meta.finalizers = [...(meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
  if (o.index === undefined) return pod;
  const ix = String(o.index);
  meta.annotations = { ...meta.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: ix };
  if (o.indexFailures !== undefined && job.spec?.backoffLimitPerIndex !== undefined) meta.annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(o.indexFailures);
  meta.labels = { ...meta.labels, [JOB_COMPLETION_INDEX_ANNOTATION]: ix };
  // Kubernetes sets the hostname `JOB-INDEX` so a headless Service can give each index a stable DNS name.
  const spec = (pod.spec ??= { containers: [] });
  spec.hostname ??= owner;
  const indexEnv = { name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } };
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    if (!(c.env ?? []).some((e) => e.name === JOB_COMPLETION_INDEX_ENV)) c.env = [...(c.env ?? []), indexEnv];
  }
  return pod;
}
