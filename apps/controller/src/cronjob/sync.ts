// syncCronJob: one reconcile of one CronJob key, after Kubernetes' cronjob controller v2:
//
//   gone                          → nothing (the garbage collector removes its Jobs)
//   reconcile status.active       → active.ts (plus a GET for entries the cache does not know)
//   being deleted, suspended,
//   bad zone or schedule          → no new run (an Event for the last two)
//   most recent unmet run         → run.ts: deadline, concurrency policy, create the Job
//   history limits                → cleanup.ts, delete the oldest finished Jobs
//   status changed                → one status write
// It then asks to be woken just after the next scheduled time, rather than polling.
import { parseSchedule, timeZoneError, type CronJobStatus } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { mutableCopy } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { CONTROLLER_UID_INDEX } from '../framework/informers.js';
import type { SyncResult } from '../framework/runner.js';
import { reconcileActive } from './active.js';
import { jobsToDelete } from './cleanup.js';
import { REASON_MISSING_JOB, REASON_UNKNOWN_TIME_ZONE, REASON_UNPARSEABLE_SCHEDULE, type CronJobDeps } from './context.js';
import { deleteJob } from './delete.js';
import type { ReadonlyCronJob, ReadonlyJob } from './jobs.js';
import { startRun } from './run.js';
import { delayUntilNextRun } from './schedule.js';

export async function syncCronJob(deps: CronJobDeps, key: string): Promise<SyncResult | void> {
  const cj = freshest(deps, key);
  if (!cj) return;
  const jobs = deps.jobStore.byIndex(CONTROLLER_UID_INDEX, cj.metadata.uid ?? '');
  const reconciled = reconcileActive(cj, jobs);
  for (const e of reconciled.events) deps.recorder.event(cj, e.type, e.reason, e.message);
  const status = reconciled.status;
  await dropMissing(deps, cj, status, reconciled.unknown);
  const result = await scheduleRun(deps, cj, status);
  await cleanupFinished(deps, cj, status, jobs);
  if (JSON.stringify(status) !== JSON.stringify(cj.status ?? {})) {
    const copy = mutableCopy(cj);
    copy.status = status;
    deps.written.set(key, await deps.cronJobs.updateStatus(copy));
  }
  return result;
}

/** The cached CronJob, or the copy this controller last wrote if the cache has not caught up. */
function freshest(deps: CronJobDeps, key: string): ReadonlyCronJob | undefined {
  const cached = deps.cronJobStore.get(key);
  const written = deps.written.get(key);
  if (!cached || !written) {
    deps.written.delete(key);
    return cached;
  }
  const behind = written.metadata.uid === cached.metadata.uid && Number(written.metadata.resourceVersion) > Number(cached.metadata.resourceVersion);
  if (!behind) deps.written.delete(key);
  return behind ? written : cached;
}

/** Decides about a new run; returns when to look again. */
async function scheduleRun(deps: CronJobDeps, cj: ReadonlyCronJob, status: CronJobStatus): Promise<SyncResult | void> {
  if (cj.metadata.deletionTimestamp || cj.spec?.suspend) return;
  const zone = cj.spec?.timeZone;
  const zoneError = zone === undefined ? undefined : timeZoneError(zone);
  if (zoneError) {
    deps.recorder.event(cj, EVENT_WARNING, REASON_UNKNOWN_TIME_ZONE, `invalid timeZone: ${JSON.stringify(zone)}: ${zoneError}`);
    return;
  }
  const schedule = parseSchedule(cj.spec?.schedule ?? '', zone);
  if (typeof schedule === 'string') {
    deps.recorder.event(cj, EVENT_WARNING, REASON_UNPARSEABLE_SCHEDULE, `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${schedule}`);
    return;
  }
  await startRun(deps, cj, status, schedule);
  return { requeueAfterMs: delayUntilNextRun(schedule, deps.now()) };
}

/** Active entries whose Job is gone (checked with the apiserver, not the cache) leave the list. */
async function dropMissing(deps: CronJobDeps, cj: ReadonlyCronJob, status: CronJobStatus, unknown: ReadonlyArray<{ name: string; uid: string }>): Promise<void> {
  for (const ref of unknown) {
    let gone = false;
    try {
      const job = await deps.jobs.get(ref.name, { namespace: cj.metadata.namespace });
      gone = job.metadata.uid !== ref.uid;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      gone = true;
    }
    if (!gone) continue;
    status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
    deps.recorder.event(cj, EVENT_NORMAL, REASON_MISSING_JOB, `Active job went missing: ${ref.name}`);
  }
}

/** Deletes the finished Jobs beyond the history limits. */
async function cleanupFinished(deps: CronJobDeps, cj: ReadonlyCronJob, status: CronJobStatus, jobs: readonly ReadonlyJob[]): Promise<void> {
  const doomed = jobsToDelete(jobs, { successful: cj.spec?.successfulJobsHistoryLimit, failed: cj.spec?.failedJobsHistoryLimit });
  for (const job of doomed) await deleteJob(deps, cj, status, { name: job.metadata.name ?? '', uid: job.metadata.uid });
}
