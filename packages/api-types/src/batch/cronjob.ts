// batch/v1 CronJob: creates a Job from its jobTemplate at each time of a cron schedule. The cronjob
// controller decides when (schedule, timeZone, startingDeadlineSeconds, suspend), whether
// (concurrencyPolicy) and what to keep (history limits).
//
// Validation follows Kubernetes: the schedule must parse as a standard cron expression (or macro)
// and may not carry TZ=/CRON_TZ= (spec.timeZone says that); timeZone must be a known IANA zone;
// the name leaves room for the Job suffix (`-<minutes since epoch>`); the job template is validated
// as a Job's spec, its fields reported under spec.jobTemplate.spec.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { kindSchema, ObjectMeta, type StatusCause } from '../meta/v1.js';
import { ObjectReference } from '../core/reference.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { AtomicList, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { invalid, notSupported, required } from '../validation/causes.js';
import { validateNonNegative } from '../validation/fields.js';
import { JobResource, JobSpec, type Job } from './job.js';
import { parseSchedule, timeZoneError } from './cron-schedule.js';

/** How a new run treats runs still active. */
export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];
/** Defaults of Kubernetes' SetDefaults_CronJob. */
export const DEFAULT_CONCURRENCY_POLICY: ConcurrencyPolicy = 'Allow';
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;
/** Longest CronJob name: a DNS-1035 label (63) less the 11 characters of the Job name suffix. */
export const MAX_CRONJOB_NAME_LENGTH = 52;
/** Annotation on each Job a CronJob creates: the scheduled time it runs for (RFC 3339). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Annotation `kubectl create job --from=cronjob/X` puts on the Job it makes (value `manual`). */
export const CRONJOB_INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

export const JobTemplateSpec = Type.Object(
  {
    metadata: Type.Optional(ObjectMeta),
    spec: Type.Optional(JobSpec),
  },
  { description: 'The Jobs a CronJob creates: their metadata and spec.' },
);
export type JobTemplateSpec = Static<typeof JobTemplateSpec>;

export const CronJobSpec = Type.Object(
  {
    schedule: Type.String({ description: 'The schedule in Cron format, e.g. "*/5 * * * *" or "@hourly".' }),
    timeZone: OptString('IANA time zone of the schedule; the controller manager\'s zone when unset.'),
    startingDeadlineSeconds: OptInt('Seconds after its scheduled time a run may still start; missed runs are skipped.'),
    concurrencyPolicy: Type.Optional(
      StringEnum(CONCURRENCY_POLICIES, { description: 'Allow (default) concurrent runs, Forbid them (skip the new run), or Replace the running one.' }),
    ),
    suspend: OptBool('Do not start new runs; running Jobs are left alone.'),
    jobTemplate: JobTemplateSpec,
    successfulJobsHistoryLimit: OptInt('Finished successful Jobs to keep; defaults to 3.'),
    failedJobsHistoryLimit: OptInt('Finished failed Jobs to keep; defaults to 1.'),
  },
  { description: 'The desired state of a CronJob.' },
);
export type CronJobSpec = Static<typeof CronJobSpec>;

export const CronJobStatus = Type.Object(
  {
    active: Type.Optional(AtomicList(ObjectReference, 'The Jobs of this CronJob still running.')),
    lastScheduleTime: OptString('When a Job was last scheduled.'),
    lastSuccessfulTime: OptString('When a Job last completed successfully.'),
  },
  { description: 'The observed state of a CronJob.' },
);
export type CronJobStatus = Static<typeof CronJobStatus>;

export const CronJob = kindSchema('batch/v1', 'CronJob', CronJobSpec, CronJobStatus, 'Runs Jobs on a time-based schedule.');
export type CronJob = Static<typeof CronJob>;

function defaultCronJob(cj: CronJob): void {
  const spec = cj.spec;
  if (!spec) return;
  spec.concurrencyPolicy ??= DEFAULT_CONCURRENCY_POLICY;
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT;
  spec.failedJobsHistoryLimit ??= DEFAULT_FAILED_JOBS_HISTORY_LIMIT;
  // Jobs run to completion: the template's restartPolicy stays as written, never Always.
  defaultPodTemplate(spec.jobTemplate?.spec?.template, { restartPolicy: false });
}

function validateSchedule(spec: CronJobSpec): StatusCause[] {
  if (!spec.schedule) return [required('spec.schedule')];
  const zoneError = spec.timeZone === undefined ? undefined : timeZoneError(spec.timeZone);
  const out: StatusCause[] = zoneError ? [invalid('spec.timeZone', spec.timeZone, zoneError)] : [];
  // An unknown zone is reported once, on timeZone; the schedule is then checked in UTC.
  const parsed = parseSchedule(spec.schedule, zoneError ? 'UTC' : spec.timeZone);
  if (typeof parsed === 'string') out.push(invalid('spec.schedule', spec.schedule, parsed));
  return out;
}

/** The template validated as a Job's spec would be, its fields renamed under spec.jobTemplate. */
function validateJobTemplate(cj: CronJob, template: JobTemplateSpec | undefined): StatusCause[] {
  if (!template?.spec) return [required('spec.jobTemplate.spec')];
  const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: cj.metadata.name, namespace: cj.metadata.namespace }, spec: structuredClone(template.spec) };
  return JobResource.validate(job).map((c) => (c.field?.startsWith('spec.') ? { ...c, field: `spec.jobTemplate.${c.field}` } : c));
}

function validateCronJob(cj: CronJob): StatusCause[] {
  const out: StatusCause[] = [];
  const name = cj.metadata.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) out.push(invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  const spec = cj.spec;
  if (!spec) return [...out, required('spec.schedule'), required('spec.jobTemplate')];
  out.push(...validateSchedule(spec));
  const policy = spec.concurrencyPolicy;
  if (policy !== undefined && !CONCURRENCY_POLICIES.includes(policy)) out.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  out.push(
    ...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'),
    ...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'),
    ...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'),
    ...validateJobTemplate(cj, spec.jobTemplate),
  );
  return out;
}

export const CronJobResource = defineResource<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  shortNames: ['cj'],
  namespaced: true,
  categories: ['all'],
  schema: CronJob,
  status: true,
  defaults: defaultCronJob,
  validate: (cj) => validateCronJob(cj),
});
