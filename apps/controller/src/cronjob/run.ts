// Starting the most recent unmet run of a CronJob, if it may start (Kubernetes' syncCronJob,
// second half). Mutates `status` (active, lastScheduleTime); the caller writes it.
//
//   no unmet run                      → nothing
//   more than TOO_MANY_MISSED unmet   → Warning TooManyMissedTimes, then go on with the latest
//   past startingDeadlineSeconds      → Warning MissSchedule, skipped
//   that run's Job already active     → nothing
//   Forbid and a Job still active     → Normal JobAlreadyActive, skipped (not recorded, so it
//                                       starts once the active Job finishes, if still in time)
//   Replace                           → delete the active Jobs first
//   otherwise                         → create the Job; AlreadyExists with our controller
//                                       reference counts as created (a lost status write)
import { formatRFC3339, type CronJobStatus, type CronSchedule } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { controllerRefOf } from '../framework/owners.js';
import { describe } from '../framework/runner.js';
import {
  REASON_FAILED_CREATE,
  REASON_JOB_ALREADY_ACTIVE,
  REASON_MISS_SCHEDULE,
  REASON_SUCCESSFUL_CREATE,
  REASON_TOO_MANY_MISSED_TIMES,
  type CronJobDeps,
} from './context.js';
import { jobFromTemplate, jobName, jobReference, type ReadonlyCronJob, type ReadonlyJob } from './jobs.js';
import { isTooLate, TOO_MANY_MISSED, unmetRuns } from './schedule.js';
import { deleteJob } from './delete.js';

export async function startRun(deps: CronJobDeps, cj: ReadonlyCronJob, status: CronJobStatus, schedule: CronSchedule): Promise<void> {
  const now = deps.now();
  const { mostRecent, count } = unmetRuns(cj, schedule, now);
  if (mostRecent === undefined) return;
  if (count > TOO_MANY_MISSED) {
    deps.recorder.event(cj, EVENT_WARNING, REASON_TOO_MANY_MISSED_TIMES, 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  }
  if (isTooLate(cj, mostRecent, now)) {
    deps.recorder.event(cj, EVENT_WARNING, REASON_MISS_SCHEDULE, `Missed scheduled time to start a job: ${new Date(mostRecent).toUTCString()}`);
    return;
  }
  const name = jobName(cj.metadata.name ?? '', mostRecent);
  const active = status.active ?? [];
  if (active.some((r) => r.name === name)) return;
  if (cj.spec?.concurrencyPolicy === 'Forbid' && active.length > 0) {
    deps.recorder.event(cj, EVENT_NORMAL, REASON_JOB_ALREADY_ACTIVE, 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return;
  }
  if (cj.spec?.concurrencyPolicy === 'Replace') {
    for (const ref of [...active]) await deleteJob(deps, cj, status, { name: ref.name ?? '', uid: ref.uid });
  }
  const job = await createJob(deps, cj, mostRecent);
  status.active = [...(status.active ?? []), jobReference(job)];
  status.lastScheduleTime = formatRFC3339(mostRecent);
}

/** Creates the run's Job, or finds the one we created before. */
async function createJob(deps: CronJobDeps, cj: ReadonlyCronJob, scheduled: number): Promise<ReadonlyJob> {
  const job = jobFromTemplate(cj, scheduled);
  const namespace = cj.metadata.namespace;
  try {
    const created = await deps.jobs.create(job, { namespace });
    deps.recorder.event(cj, EVENT_NORMAL, REASON_SUCCESSFUL_CREATE, `Created job ${created.metadata.name ?? ''}`);
    return created;
  } catch (err) {
    if (isAlreadyExists(err)) {
      const existing = await deps.jobs.get(job.metadata.name ?? '', { namespace });
      if (controllerRefOf(existing)?.uid === cj.metadata.uid) return existing;
    }
    deps.recorder.event(cj, EVENT_WARNING, REASON_FAILED_CREATE, `Error creating job: ${describe(err)}`);
    throw err;
  }
}
