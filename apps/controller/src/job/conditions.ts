// Job conditions as Kubernetes writes them: the interim SuccessCriteriaMet / FailureTarget while
// the last pods are being accounted for, then the final Complete / Failed; Suspended True/False.
// Reasons and messages are Kubernetes' own, so `kubectl describe` and scripts read the same.
import type { Condition } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { ReadonlyJob } from './job-pods.js';

export const JOB_COMPLETE = 'Complete';
export const JOB_FAILED = 'Failed';
export const JOB_SUSPENDED = 'Suspended';
export const JOB_SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';
export const JOB_FAILURE_TARGET = 'FailureTarget';

export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = 'MaxFailedIndexesExceeded';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const REASON_JOB_SUSPENDED = 'JobSuspended';
export const REASON_JOB_RESUMED = 'JobResumed';

export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_MAX_FAILED_INDEXES_EXCEEDED = 'Job has exceeded the specified maximal number of failed indexes';
export const MESSAGE_FAILED_INDEXES = 'Job has failed indexes';

/** A finish the sync decided on: the interim condition type, and the reason and message of both. */
export interface FinishedCondition {
  type: typeof JOB_SUCCESS_CRITERIA_MET | typeof JOB_FAILURE_TARGET;
  reason: string;
  message: string;
}

export function conditionOf(job: ReadonlyJob, type: string): DeepReadonly<Condition> | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

export const isConditionTrue = (job: ReadonlyJob, type: string): boolean => conditionOf(job, type)?.status === 'True';

/** Complete or Failed: nothing more happens to the Job. */
export const isJobFinished = (job: ReadonlyJob): boolean => isConditionTrue(job, JOB_COMPLETE) || isConditionTrue(job, JOB_FAILED);

/** The final condition type for an interim one. */
export const finalType = (f: FinishedCondition): string => (f.type === JOB_SUCCESS_CRITERIA_MET ? JOB_COMPLETE : JOB_FAILED);

/**
 * Sets condition `type` in `conditions` (in place) to status/reason/message; the transition time
 * moves only when the status changes. Returns whether anything changed.
 */
export function setCondition(conditions: Condition[], type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const at = new Date(now).toISOString();
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    conditions.push({ type, status, reason, message, lastProbeTime: at, lastTransitionTime: at });
    return true;
  }
  if (existing.status === status && existing.reason === reason && existing.message === message) return false;
  if (existing.status !== status) existing.lastTransitionTime = at;
  Object.assign(existing, { status, reason, message, lastProbeTime: at });
  return true;
}
