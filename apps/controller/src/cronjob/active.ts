// Bringing status.active in line with the Jobs a CronJob controls (Kubernetes' syncCronJob, first
// half). Pure: takes the CronJob and its Jobs from the cache, returns the new status, the events
// to record, and the active entries the cache does not know (the caller asks the apiserver about
// those, since a missing Job may only be missing from a lagging cache).
//
// - A finished Job still in active → removed, SawCompletedJob.
// - An unfinished Job we control that is not in active → UnexpectedJob (created by hand with
//   `kubectl create job --from`, or we crashed between create and status write). Left out of
//   active, as Kubernetes does.
// - lastSuccessfulTime → the latest completionTime of a Complete Job.
import type { CronJobStatus, EventType } from '@kite/api-types';
import { mutableCopy } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { finishedType, type ReadonlyCronJob, type ReadonlyJob } from './jobs.js';

export const REASON_SAW_COMPLETED_JOB = 'SawCompletedJob';
export const REASON_UNEXPECTED_JOB = 'UnexpectedJob';

export interface PendingEvent {
  type: EventType;
  reason: string;
  message: string;
}

export interface ActiveReconcile {
  status: CronJobStatus;
  events: PendingEvent[];
  /** Active entries whose Job the cache does not hold. */
  unknown: Array<{ name: string; uid: string }>;
}

export function reconcileActive(cj: ReadonlyCronJob, jobs: readonly ReadonlyJob[]): ActiveReconcile {
  const status = mutableCopy(cj.status) ?? {};
  const events: PendingEvent[] = [];
  const activeUids = new Set((status.active ?? []).map((r) => r.uid));
  const finishedUids = new Set<string>();
  for (const job of jobs) {
    const uid = job.metadata.uid ?? '';
    const finished = finishedType(job);
    if (!finished && !activeUids.has(uid)) {
      events.push({ type: EVENT_WARNING, reason: REASON_UNEXPECTED_JOB, message: `Saw a job that the controller did not create or forgot: ${job.metadata.name ?? ''}` });
    } else if (finished && activeUids.has(uid)) {
      finishedUids.add(uid);
      events.push({ type: EVENT_NORMAL, reason: REASON_SAW_COMPLETED_JOB, message: `Saw completed job: ${job.metadata.name ?? ''}, condition: ${finished}` });
    }
    if (finished === 'Complete') status.lastSuccessfulTime = later(status.lastSuccessfulTime, job.status?.completionTime);
  }
  if (finishedUids.size > 0) status.active = (status.active ?? []).filter((r) => !finishedUids.has(r.uid ?? ''));
  const known = new Set(jobs.map((j) => j.metadata.uid));
  const unknown = (status.active ?? []).filter((r) => !known.has(r.uid)).map((r) => ({ name: r.name ?? '', uid: r.uid ?? '' }));
  return { status, events, unknown };
}

/** The later of two RFC 3339 times (either may be missing). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
