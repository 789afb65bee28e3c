// The Jobs of a CronJob: how one is made from the template for a scheduled time, what it is named,
// and when it counts as finished. Pure.
//
// - Name: `<cronjob>-<scheduled time in minutes since the epoch>`, so the same run is never created
//   twice (a second create is AlreadyExists), even across controller restarts.
// - Labels and annotations come from jobTemplate.metadata, plus the scheduled-timestamp annotation
//   (RFC 3339 in the CronJob's time zone, UTC without one); a controller reference to the CronJob.
// - Finished: condition Complete or Failed with status True (Kubernetes' IsJobFinished).
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, formatRFC3339, type CronJob, type Job, type ObjectReference } from '@kite/api-types';
import { mutableCopy, type DeepReadonly } from '@kite/client';
import { newControllerRef } from '../framework/owners.js';

export type ReadonlyCronJob = DeepReadonly<CronJob>;
export type ReadonlyJob = DeepReadonly<Job>;
export type FinishedType = 'Complete' | 'Failed';

/** Milliseconds per minute, the unit of the Job name suffix. */
const MS_PER_MINUTE = 60_000;

export function jobName(cronJobName: string, scheduled: number): string {
  return `${cronJobName}-${Math.floor(scheduled / MS_PER_MINUTE)}`;
}

/** Complete or Failed once the Job has finished, else undefined. */
export function finishedType(job: ReadonlyJob): FinishedType | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as FinishedType | undefined;
}

export function jobFromTemplate(cj: ReadonlyCronJob, scheduled: number): Job {
  const template = mutableCopy(cj.spec?.jobTemplate) ?? {};
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = formatRFC3339(scheduled, cj.spec?.timeZone ?? 'UTC');
  const labels = template.metadata?.labels;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj.metadata.name ?? '', scheduled),
      namespace: cj.metadata.namespace,
      ...(labels ? { labels: { ...labels } } : {}),
      annotations,
      ownerReferences: [newControllerRef(cj)],
    },
    ...(template.spec ? { spec: template.spec } : {}),
  };
}

/** The reference status.active holds for a Job. */
export function jobReference(job: ReadonlyJob): ObjectReference {
  return {
    apiVersion: job.apiVersion,
    kind: job.kind,
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    resourceVersion: job.metadata.resourceVersion,
  };
}
