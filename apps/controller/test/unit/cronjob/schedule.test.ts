// Table tests of when a CronJob runs (src/cronjob/schedule.ts) and of the schedule parser it uses
// (@kite/api-types cron-schedule), with the clock injected as `now`.
import { parseSchedule, type CronSchedule } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { delayUntilNextRun, isTooLate, NEXT_SCHEDULE_DELTA_MS, TOO_MANY_MISSED, unmetRuns } from '../../../src/cronjob/schedule.js';
import { cronJob, T } from './fixtures.js';

function sched(spec: string, zone = 'UTC'): CronSchedule {
  const s = parseSchedule(spec, zone);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

describe('unmetRuns', () => {
  it.each([
    { name: 'created mid-minute, before the first run', cj: {}, now: '2026-12-07T12:00:59Z', want: { count: 0 } },
    { name: 'at the first minute boundary', cj: {}, now: '2026-12-07T12:01:00Z', want: { mostRecent: '2026-12-07T12:01:00Z', count: 1 } },
    { name: 'after the last run, before the next', cj: { lastSchedule: '2026-12-07T12:01:00Z' }, now: '2026-12-07T12:01:40Z', want: { count: 0 } },
    { name: 'three missed: the latest starts', cj: { schedule: '*/5 * * * *', lastSchedule: '2026-12-07T12:00:00Z' }, now: '2026-12-07T12:17:00Z', want: { mostRecent: '2026-12-07T12:15:00Z', count: 3 } },
    { name: 'a day of minutes missed: counted past the limit', cj: { lastSchedule: '2026-12-06T12:00:00Z' }, now: '2026-12-07T12:00:10Z', want: { mostRecent: '2026-12-07T12:00:00Z', count: TOO_MANY_MISSED + 1 } },
    { name: 'deadline narrows the window', cj: { lastSchedule: '2026-12-06T12:00:00Z', startingDeadlineSeconds: 200 }, now: '2026-12-07T12:00:10Z', want: { mostRecent: '2026-12-07T12:00:00Z', count: 4 } },
    { name: 'deadline passed every run', cj: { schedule: '0 * * * *', lastSchedule: '2026-12-07T11:00:00Z', startingDeadlineSeconds: 60 }, now: '2026-12-07T12:05:00Z', want: { count: 0 } },
    { name: 'hourly macro', cj: { schedule: '@hourly', lastSchedule: '2026-12-07T10:00:00Z' }, now: '2026-12-07T12:30:00Z', want: { mostRecent: '2026-12-07T12:00:00Z', count: 2 } },
    { name: 'weekdays at 9 skip the weekend', cj: { schedule: '0 9 * * 1-5', lastSchedule: '2026-12-04T09:00:00Z' }, now: '2026-12-06T23:00:00Z', want: { count: 0 } },
  ])('$name', ({ cj, now, want }) => {
    const c = cronJob(cj);
    const got = unmetRuns(c, sched(c.spec?.schedule ?? ''), T(now));
    expect(got).toEqual(want.mostRecent ? { mostRecent: T(want.mostRecent), count: want.count } : { count: want.count });
  });

  it('evaluates the schedule in spec.timeZone', () => {
    const c = cronJob({ schedule: '0 9 * * *', timeZone: 'Europe/Berlin', lastSchedule: '2026-12-06T08:00:00Z' });
    // 09:00 in Berlin in December is 08:00 UTC.
    expect(unmetRuns(c, sched('0 9 * * *', 'Europe/Berlin'), T('2026-12-07T08:00:05Z'))).toEqual({ mostRecent: T('2026-12-07T08:00:00Z'), count: 1 });
  });
});

describe('delayUntilNextRun', () => {
  it.each([
    { spec: '* * * * *', now: '2026-12-07T12:00:30Z', wantMs: 30_000 },
    { spec: '* * * * *', now: '2026-12-07T12:00:00Z', wantMs: 60_000 },
    { spec: '*/15 * * * *', now: '2026-12-07T12:01:00Z', wantMs: 14 * 60_000 },
    { spec: '@daily', now: '2026-12-07T23:59:59Z', wantMs: 1000 },
  ])('$spec at $now → $wantMs ms', ({ spec, now, wantMs }) => {
    expect(delayUntilNextRun(sched(spec), T(now))).toBe(wantMs + NEXT_SCHEDULE_DELTA_MS);
  });
});

describe('isTooLate', () => {
  it.each([
    { deadline: undefined, scheduled: '2026-12-07T12:00:00Z', now: '2026-12-07T13:00:00Z', want: false },
    { deadline: 30, scheduled: '2026-12-07T12:00:00Z', now: '2026-12-07T12:00:29Z', want: false },
    { deadline: 30, scheduled: '2026-12-07T12:00:00Z', now: '2026-12-07T12:00:31Z', want: true },
    { deadline: 0, scheduled: '2026-12-07T12:00:00Z', now: '2026-12-07T12:00:00.100Z', want: true },
  ])('deadline $deadline, $scheduled at $now → $want', ({ deadline, scheduled, now, want }) => {
    expect(isTooLate(cronJob({ startingDeadlineSeconds: deadline }), T(scheduled), T(now))).toBe(want);
  });
});

describe('parseSchedule', () => {
  it.each([
    { spec: '* * * * *', ok: true },
    { spec: '*/5 1-3 * jan,feb mon-fri', ok: true },
    { spec: '0 0 ? * *', ok: true },
    { spec: '@yearly', ok: true },
    { spec: '@midnight', ok: true },
    { spec: '@weekly', ok: true },
    { spec: '', ok: false },
    { spec: 'not a schedule', ok: false },
    { spec: '* * * *', ok: false },
    { spec: '0 * * * * *', ok: false },
    { spec: '61 * * * *', ok: false },
    { spec: '@secondly', ok: false },
    { spec: '@reboot', ok: false },
    { spec: 'L * * * *', ok: false },
    { spec: 'TZ=UTC * * * * *', ok: false },
    { spec: 'CRON_TZ=Europe/Berlin 0 9 * * *', ok: false },
  ])('$spec parses: $ok', ({ spec, ok }) => {
    expect(typeof parseSchedule(spec, 'UTC') !== 'string').toBe(ok);
  });

  it.each([
    { spec: '0 9 * * *', zone: 'America/New_York', at: '2026-12-07T12:00:00Z', next: '2026-12-07T14:00:00Z', previous: '2026-12-06T14:00:00Z' },
    { spec: '30 2 * * *', zone: 'UTC', at: '2026-12-07T02:30:00Z', next: '2026-12-08T02:30:00Z', previous: '2026-12-07T02:30:00Z' },
  ])('$spec in $zone at $at: next $next, previous $previous', ({ spec, zone, at, next, previous }) => {
    const s = sched(spec, zone);
    expect(s.next(T(at))).toBe(T(next));
    expect(s.previous(T(at))).toBe(T(previous));
  });
});
