// batch/v1 Job: runs pods until a number of them succeed. The job controller creates pods from the
// template, retries failures up to backoffLimit, and marks the Job Complete or Failed.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { validatePodTemplate } from '../core/pod-validation.js';
import { AtomicList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { cause, invalid, notSupported, required } from '../validation/causes.js';
import { validateImmutable, validateNonNegative, validatePositive } from '../validation/fields.js';
import { validateSelectorMatchesTemplate } from '../apps/workload.js';

/** Failed pods retried before the Job fails. */
export const DEFAULT_BACKOFF_LIMIT = 6;
/** Labels the apiserver puts on a Job's pods when it generates the selector. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Pre-1.27 spellings, still set for compatibility with selectors written against them. */
export const LEGACY_JOB_LABELS = { controllerUid: 'controller-uid', jobName: 'job-name' } as const;

/** Annotation and label with an Indexed Job pod's completion index. */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** Env var every container of an Indexed Job pod gets, from the annotation above. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** Finalizer on every Job pod until its outcome is counted in the Job's status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation with how many earlier pods of the same index failed (backoffLimitPerIndex). */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** backoffLimit when backoffLimitPerIndex is set: per-index limits replace the global one. */
export const MAX_INT32 = 2 ** 31 - 1;

export const POD_FAILURE_POLICY_ACTIONS = ['FailJob', 'FailIndex', 'Ignore', 'Count'] as const;
export type PodFailurePolicyAction = (typeof POD_FAILURE_POLICY_ACTIONS)[number];

export const PodFailurePolicyOnExitCodesRequirement = Type.Object({
  containerName: OptString('Only this container\'s exit code is checked; all containers when unset.'),
  operator: StringEnum(['In', 'NotIn'] as const),
  values: AtomicList(Type.Integer(), 'Exit codes to match (0 never matches).'),
});
export const PodFailurePolicyOnPodConditionsPattern = Type.Object({
  type: Type.String(),
  status: Type.Optional(StringEnum(['True', 'False', 'Unknown'] as const, { description: 'Defaults to True.' })),
});
export const PodFailurePolicyRule = Type.Object({
  action: StringEnum(POD_FAILURE_POLICY_ACTIONS),
  onExitCodes: Type.Optional(PodFailurePolicyOnExitCodesRequirement),
  onPodConditions: Type.Optional(AtomicList(PodFailurePolicyOnPodConditionsPattern)),
});
export type PodFailurePolicyRule = Static<typeof PodFailurePolicyRule>;
export const PodFailurePolicy = Type.Object({ rules: AtomicList(PodFailurePolicyRule) });
export type PodFailurePolicy = Static<typeof PodFailurePolicy>;

export const JobSpec = Type.Object(
  {
    parallelism: OptInt('Pods running at once; defaults to 1.'),
    completions: OptInt('Successful pods needed; defaults to 1 (when parallelism is unset too).'),
    activeDeadlineSeconds: OptInt('Seconds the Job may run before it is failed.'),
    podFailurePolicy: Type.Optional(PodFailurePolicy),
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
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT;
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

/** Kubernetes' field.Required with a detail: "Required value: DETAIL". */
const requiredValue = (field: string, detail: string): StatusCause => cause('FieldValueRequired', field, `Required value: ${detail}`);

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
  if (rp === undefined) out.push(requiredValue('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') out.push(notSupported('spec.template.spec.restartPolicy', rp, ['OnFailure', 'Never']));
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
    out.push(requiredValue('spec.completions', 'when completion mode is Indexed'));
  }
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed') {
    out.push(invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  out.push(...validateNonNegative(spec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  out.push(...validateNonNegative(spec.maxFailedIndexes, 'spec.maxFailedIndexes'));
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    out.push(requiredValue('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.completions !== undefined && spec.maxFailedIndexes > spec.completions) {
    out.push(invalid('spec.maxFailedIndexes', spec.maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (spec.podFailurePolicy) out.push(...validatePodFailurePolicy(spec));
  return out;
}

/** podFailurePolicy: Never pods only, one matcher per rule, FailIndex only with per-index limits. */
function validatePodFailurePolicy(spec: JobSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Never') {
    out.push(invalid('spec.template.spec.restartPolicy', rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  (spec.podFailurePolicy?.rules ?? []).forEach((rule, i) => {
    const path = `spec.podFailurePolicy.rules[${i}]`;
    if ((rule.onExitCodes === undefined) === (rule.onPodConditions === undefined)) {
      out.push(cause('FieldValueInvalid', path, 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required'));
    }
    if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
      out.push(invalid(`${path}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    }
    const codes = rule.onExitCodes;
    if (codes) {
      if (codes.values.length === 0) out.push(requiredValue(`${path}.onExitCodes.values`, 'at least one value is required'));
      codes.values.forEach((v, j) => {
        if (v === 0 && codes.operator === 'In') out.push(invalid(`${path}.onExitCodes.values[${j}]`, v, 'must not be 0 for the In operator'));
      });
    }
  });
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
