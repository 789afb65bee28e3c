// batch/v1 Job: runs pods until a number of them succeed. The job controller creates pods from the
// template, retries failures up to backoffLimit, and marks the Job Complete or Failed.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { validatePodTemplate } from '../core/pod-validation.js';
import { AtomicList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { invalid, notSupported, required } from '../validation/causes.js';
import { validateImmutable, validateNonNegative, validatePositive } from '../validation/fields.js';
import { validateSelectorMatchesTemplate } from '../apps/workload.js';

/** Failed pods retried before the Job fails. */
export const DEFAULT_BACKOFF_LIMIT = 6;
/** Labels the apiserver puts on a Job's pods when it generates the selector. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Pre-1.27 spellings, still set for compatibility with selectors written against them. */
export const LEGACY_JOB_LABELS = { controllerUid: 'controller-uid', jobName: 'job-name' } as const;

export const JobSpec = Type.Object(
  {
    parallelism: OptInt('Pods running at once; defaults to 1.'),
    completions: OptInt('Successful pods needed; defaults to 1 (when parallelism is unset too).'),
    activeDeadlineSeconds: OptInt('Seconds the Job may run before it is failed.'),
    podFailurePolicy: Type.Optional(Type.Object({ rules: AtomicList(Type.Object({ action: Type.String() })) })),
    successPolicy: Type.Optional(Type.Object({ rules: AtomicList(Type.Object({ succeededIndexes: OptString(), succeededCount: OptInt() })) })),
    backoffLimit: OptInt('Retries before the Job is failed; defaults to 6.'),
    backoffLimitPerIndex: OptInt(),
    maxFailedIndexes: OptInt(),
    selector: Type.Optional(LabelSelector),
    manualSelector: OptBool('Use the given selector instead of a generated one.'),
    template: PodTemplateSpec,
    ttlSecondsAfterFinished: OptInt('Delete the Job this long after it finishes.'),
    completionMode: Type.Optional(StringEnum(['NonIndexed', 'Indexed'] as const, { description: 'NonIndexed (default) or Indexed.' })),
    suspend: OptBool('Stop creating pods (and delete running ones).'),
    podReplacementPolicy: Type.Optional(StringEnum(['TerminatingOrFailed', 'Failed'] as const)),
    managedBy: OptString(),
  },
  { description: 'The desired state of a Job.' },
);
export type JobSpec = Static<typeof JobSpec>;

export const JobStatus = Type.Object(
  {
    conditions: Type.Optional(List(Condition, { patchMergeKey: 'type', patchStrategy: 'merge', listType: 'atomic', description: 'Complete, Failed, Suspended, ...' })),
    startTime: OptString(),
    completionTime: OptString(),
    active: OptInt('Pods running.'),
    succeeded: OptInt('Pods that succeeded.'),
    failed: OptInt('Pods that failed.'),
    terminating: OptInt(),
    completedIndexes: OptString(),
    failedIndexes: OptString(),
    uncountedTerminatedPods: Type.Optional(Type.Object({ succeeded: Type.Optional(AtomicList(Type.String())), failed: Type.Optional(AtomicList(Type.String())) })),
    ready: OptInt(),
    observedGeneration: OptInt(),
  },
  { description: 'The observed state of a Job.' },
);
export type JobStatus = Static<typeof JobStatus>;

export const Job = kindSchema('batch/v1', 'Job', JobSpec, JobStatus, 'Runs pods to completion.');
export type Job = Static<typeof Job>;

/**
 * Gives a Job without manualSelector the selector Kubernetes generates: its own UID, stamped on the
 * template labels too. Needs metadata.uid; defaulting calls it when the UID is already assigned.
 */
export function generateJobSelector(job: Job): void {
  const uid = job.metadata.uid;
  if (!uid || !job.spec || job.spec.manualSelector || job.spec.selector) return;
  job.spec.selector = { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } };
  const meta = (job.spec.template.metadata ??= {});
  const name = job.metadata.name ?? '';
  meta.labels = {
    ...meta.labels,
    [JOB_CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_JOB_LABELS.controllerUid]: uid,
    [LEGACY_JOB_LABELS.jobName]: name,
  };
}

function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2 ** 31 - 1 : DEFAULT_BACKOFF_LIMIT;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // A Job without labels takes its template's, so `kubectl get jobs -l` finds it.
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
  // Jobs run to completion: their restartPolicy stays as written (OnFailure or Never), never Always.
  defaultPodTemplate(spec.template, { restartPolicy: false });
  generateJobSelector(job);
}

function validateJobSpec(spec: JobSpec): StatusCause[] {
  const out = [
    ...validateNonNegative(spec.parallelism, 'spec.parallelism'),
    ...validateNonNegative(spec.completions, 'spec.completions'),
    ...validateNonNegative(spec.backoffLimit, 'spec.backoffLimit'),
    ...validatePositive(spec.activeDeadlineSeconds, 'spec.activeDeadlineSeconds'),
    ...validateNonNegative(spec.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished'),
    ...validatePodTemplate(spec.template, 'spec.template'),
  ];
  // The selector is generated unless manualSelector is set; when present it must match the template.
  if (spec.selector || spec.manualSelector) out.push(...validateSelectorMatchesTemplate(spec.selector, spec.template, 'job'));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp === undefined) out.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') out.push(notSupported('spec.template.spec.restartPolicy', rp, ['OnFailure', 'Never']));
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
    out.push(required('spec.completions', 'when completion mode is Indexed'));
  }
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed') {
    out.push(invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  return out;
}

export const JobResource = defineResource<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  namespaced: true,
  categories: ['all'],
  schema: Job,
  status: true,
  defaults: defaultJob,
  validate: (job, old) => {
    if (!job.spec) return [required('spec.template')];
    const out = validateJobSpec(job.spec);
    if (old?.spec) {
      // Running pods were made from this template and are found by this selector.
      out.push(...validateImmutable(job.spec.selector, old.spec.selector, 'spec.selector'));
      out.push(...validateImmutable(job.spec.template, old.spec.template, 'spec.template'));
      out.push(...validateImmutable(job.spec.completionMode, old.spec.completionMode, 'spec.completionMode'));
    }
    return out;
  },
  fieldSelectors: { 'status.successful': (j) => String(j.status?.succeeded ?? 0) },
});
