// Deleting a Job of a CronJob (history cleanup, Replace): Background propagation, so its pods
// follow through the garbage collector; the Job leaves status.active at once. A Job already gone
// is no error and no Event.
import type { CronJobStatus } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { describe } from '../framework/runner.js';
import { REASON_FAILED_DELETE, REASON_SUCCESSFUL_DELETE, type CronJobDeps } from './context.js';
import type { ReadonlyCronJob } from './jobs.js';

/** Deletes one Job of `cj` (its pods follow in the background) and drops it from status.active. */
export async function deleteJob(deps: CronJobDeps, cj: ReadonlyCronJob, status: CronJobStatus, job: { name: string; uid?: string }): Promise<void> {
  status.active = (status.active ?? []).filter((r) => r.uid !== job.uid);
  try {
    await deps.jobs.delete(job.name, { namespace: cj.metadata.namespace, propagationPolicy: 'Background' });
  } catch (err) {
    if (isNotFound(err)) return; // already gone: someone else deleted it
    deps.recorder.event(cj, EVENT_WARNING, REASON_FAILED_DELETE, `Error deleting job ${job.name}: ${describe(err)}`);
    throw err;
  }
  deps.recorder.event(cj, EVENT_NORMAL, REASON_SUCCESSFUL_DELETE, `Deleted job ${job.name}`);
}
