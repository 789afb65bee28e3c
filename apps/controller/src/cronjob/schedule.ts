// When a CronJob should run, as Kubernetes' cronjob controller v2 decides it (utils.go):
//
// - The window of unmet runs opens at lastScheduleTime (or, before the first run, at the CronJob's
//   creation) and, when startingDeadlineSeconds is set, no earlier than `now - deadline`: runs older
//   than that are missed for good.
// - Only the most recent unmet run starts; the ones before it are skipped. Example: "*/5 * * * *",
//   last run 12:00, controller back at 12:17 → runs 12:05, 12:10, 12:15 are unmet, 12:15 starts.
// - More than TOO_MANY_MISSED unmet runs means a long outage or clock skew: the caller warns
//   (TooManyMissedTimes) but still starts the most recent one.
// - The controller sleeps until the next run (plus NEXT_SCHEDULE_DELTA_MS), instead of polling.
// Pure: the clock is a parameter.
import type { CronJob, CronSchedule } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

/** Unmet runs beyond which Kubernetes warns TooManyMissedTimes. */
export const TOO_MANY_MISSED = 100;
/** Slack after a run time before the controller looks, so its clock is surely past it. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface UnmetRuns {
  /** The most recent run time in the window, if any. */
  mostRecent?: number;
  /** Runs in the window, counted up to TOO_MANY_MISSED + 1. */
  count: number;
}

/** Start of the window of unmet runs (exclusive). */
export function windowStart(cj: DeepReadonly<CronJob>, now: number, withDeadline: boolean): number {
  const last = Date.parse(cj.status?.lastScheduleTime ?? '');
  let earliest = Number.isNaN(last) ? Date.parse(cj.metadata.creationTimestamp ?? '') : last;
  if (Number.isNaN(earliest)) earliest = now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  return earliest;
}

/** The unmet runs of `cj` at `now`: the most recent and how many there are. */
export function unmetRuns(cj: DeepReadonly<CronJob>, schedule: CronSchedule, now: number): UnmetRuns {
  const first = schedule.next(windowStart(cj, now, true));
  if (first > now) return { count: 0 };
  let count = 1;
  for (let t = schedule.next(first); t <= now && count <= TOO_MANY_MISSED; t = schedule.next(t)) count++;
  return { mostRecent: schedule.previous(now) ?? first, count };
}

/** Milliseconds until the controller should look at `cj` again: just past its next run. */
export function delayUntilNextRun(schedule: CronSchedule, now: number): number {
  return Math.max(0, schedule.next(now) - now) + NEXT_SCHEDULE_DELTA_MS;
}

/** Whether a run scheduled at `scheduled` may no longer start (startingDeadlineSeconds passed). */
export function isTooLate(cj: DeepReadonly<CronJob>, scheduled: number, now: number): boolean {
  const deadline = cj.spec?.startingDeadlineSeconds;
  return deadline !== undefined && scheduled + deadline * 1000 < now;
}
