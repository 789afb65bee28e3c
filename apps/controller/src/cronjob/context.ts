// What every step of a CronJob sync needs: the caches it reads, the clients it writes with, the
// recorder and the clock, passed as one object so the steps stay small functions.
import type { CronJob, Job } from '@kite/api-types';
import type { DeepReadonly, Indexer, ResourceClient } from '@kite/client';
import type { Recorder } from '../framework/events.js';

export interface CronJobDeps {
  cronJobStore: Indexer<CronJob>;
  /** Jobs, indexed by their controller's uid (CONTROLLER_UID_INDEX). */
  jobStore: Indexer<Job>;
  cronJobs: ResourceClient<CronJob>;
  jobs: ResourceClient<Job>;
  recorder: Recorder;
  now: () => number;
  /**
   * The last status this controller wrote per CronJob key. The cache can lag one write behind;
   * a sync that read the older copy would take the Job it just created for an unexpected one.
   */
  written: Map<string, DeepReadonly<CronJob>>;
}

/** Events the CronJob controller records (Kubernetes' reasons and messages). */
export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_FAILED_CREATE = 'FailedCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_DELETE = 'FailedDelete';
export const REASON_JOB_ALREADY_ACTIVE = 'JobAlreadyActive';
export const REASON_MISS_SCHEDULE = 'MissSchedule';
export const REASON_TOO_MANY_MISSED_TIMES = 'TooManyMissedTimes';
export const REASON_MISSING_JOB = 'MissingJob';
export const REASON_UNKNOWN_TIME_ZONE = 'UnknownTimeZone';
export const REASON_UNPARSEABLE_SCHEDULE = 'UnparseableSchedule';
