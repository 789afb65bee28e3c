// History limits: which finished Jobs of a CronJob to delete so that at most
// successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed ones remain. The oldest go
// first, ordered by status.startTime (Jobs that never started count as newest, ties by name), as
// Kubernetes' removeOldestJobs does. Example: limit 3, five Complete Jobs started at 1..5 → delete
// those started at 1 and 2. An unset limit keeps everything. Pure.
import { finishedType, type ReadonlyJob } from './jobs.js';

export interface HistoryLimits {
  successful?: number;
  failed?: number;
}

/** Oldest first: by start time, unstarted last, then by name. */
function byStartTime(a: ReadonlyJob, b: ReadonlyJob): number {
  const ta = Date.parse(a.status?.startTime ?? '');
  const tb = Date.parse(b.status?.startTime ?? '');
  if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
  if (!Number.isNaN(ta) && ta !== tb) return ta - tb;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

function oldestBeyond(jobs: ReadonlyJob[], limit: number | undefined): ReadonlyJob[] {
  if (limit === undefined || jobs.length <= limit) return [];
  return [...jobs].sort(byStartTime).slice(0, jobs.length - limit);
}

/** The finished Jobs to delete, oldest first within each kind (successful, then failed). */
export function jobsToDelete(jobs: readonly ReadonlyJob[], limits: HistoryLimits): ReadonlyJob[] {
  const finished = jobs.filter((j) => !j.metadata.deletionTimestamp);
  const successful = finished.filter((j) => finishedType(j) === 'Complete');
  const failed = finished.filter((j) => finishedType(j) === 'Failed');
  return [...oldestBeyond(successful, limits.successful), ...oldestBeyond(failed, limits.failed)];
}
