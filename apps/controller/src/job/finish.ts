// Whether a Job has finished, and why: the first of these that holds, in Kubernetes' order.
//   1. An interim condition already written (FailureTarget / SuccessCriteriaMet) stands.
//   2. A new failure matched a FailJob rule                  → FailureTarget PodFailurePolicy
//   3. failed > backoffLimit                                   → FailureTarget BackoffLimitExceeded
//   4. active longer than activeDeadlineSeconds               → FailureTarget DeadlineExceeded
//   5. more failed indexes than maxFailedIndexes              → FailureTarget MaxFailedIndexesExceeded
//   6. every index succeeded or failed, some failed           → FailureTarget FailedIndexes
//   7. enough successes (completions; without completions: one success and nothing left running)
//                                                              → SuccessCriteriaMet CompletionsReached
// Example: backoffLimit 2 — the third failed pod makes failed = 3 > 2: BackoffLimitExceeded.
import type { Accounting } from './accounting.js';
import {
  conditionOf,
  JOB_FAILURE_TARGET,
  JOB_SUCCESS_CRITERIA_MET,
  MESSAGE_BACKOFF_LIMIT_EXCEEDED,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE_EXCEEDED,
  MESSAGE_FAILED_INDEXES,
  MESSAGE_MAX_FAILED_INDEXES_EXCEEDED,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES_EXCEEDED,
  REASON_POD_FAILURE_POLICY,
  type FinishedCondition,
} from './conditions.js';
import { DEFAULT_BACKOFF_LIMIT } from '@kite/api-types';
import { isIndexed, type ReadonlyJob } from './job-pods.js';

const failure = (reason: string, message: string): FinishedCondition => ({ type: JOB_FAILURE_TARGET, reason, message });

/** Milliseconds until the active deadline passes (≤ 0: passed); undefined without one. */
export function deadlineIn(job: ReadonlyJob, now: number): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = Date.parse(job.status?.startTime ?? '');
  if (ads === undefined || Number.isNaN(start) || job.spec?.suspend) return undefined;
  return start + ads * 1000 - now;
}

export function finishedCondition(job: ReadonlyJob, a: Accounting, now: number): FinishedCondition | undefined {
  for (const type of [JOB_FAILURE_TARGET, JOB_SUCCESS_CRITERIA_MET] as const) {
    const c = conditionOf(job, type);
    if (c?.status === 'True') return { type, reason: c.reason ?? '', message: c.message ?? '' };
  }
  if (a.failJob) return failure(REASON_POD_FAILURE_POLICY, a.failJob.message);
  if (a.failed > (job.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT)) return failure(REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED);
  const left = deadlineIn(job, now);
  if (left !== undefined && left <= 0) return failure(REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED);
  const maxFailedIndexes = job.spec?.maxFailedIndexes;
  if (maxFailedIndexes !== undefined && a.failedIndexes.size > maxFailedIndexes) return failure(REASON_MAX_FAILED_INDEXES_EXCEEDED, MESSAGE_MAX_FAILED_INDEXES_EXCEEDED);
  return successOrIndexFailure(job, a);
}

function successOrIndexFailure(job: ReadonlyJob, a: Accounting): FinishedCondition | undefined {
  const success: FinishedCondition = { type: JOB_SUCCESS_CRITERIA_MET, reason: REASON_COMPLETIONS_REACHED, message: MESSAGE_COMPLETIONS_REACHED };
  const completions = job.spec?.completions;
  if (isIndexed(job)) {
    const total = completions ?? 0;
    if (a.completed.size + a.failedIndexes.size < total) return undefined;
    return a.failedIndexes.size > 0 ? failure(REASON_FAILED_INDEXES, MESSAGE_FAILED_INDEXES) : success;
  }
  if (completions === undefined) return a.succeeded > 0 && a.active.length === 0 ? success : undefined;
  return a.succeeded >= completions ? success : undefined;
}
