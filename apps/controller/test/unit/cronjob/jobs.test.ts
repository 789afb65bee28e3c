// Table tests of the Jobs a CronJob makes (src/cronjob/jobs.ts): name, scheduled-timestamp
// annotation, template metadata and controller reference.
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { finishedType, jobFromTemplate, jobName } from '../../../src/cronjob/jobs.js';
import { cronJob, job, T } from './fixtures.js';

describe('jobName', () => {
  it.each([
    { cj: 'hello', at: '1970-01-01T00:01:00Z', want: 'hello-1' },
    { cj: 'hello', at: '2026-12-07T12:00:00Z', want: `hello-${T('2026-12-07T12:00:00Z') / 60_000}` },
    { cj: 'hello', at: '2026-12-07T12:00:59Z', want: `hello-${T('2026-12-07T12:00:00Z') / 60_000}` },
  ])('$cj at $at → $want', ({ cj, at, want }) => {
    expect(jobName(cj, T(at))).toBe(want);
  });
});

describe('jobFromTemplate', () => {
  it.each([
    { zone: undefined, want: '2026-12-07T12:00:00Z' },
    { zone: 'Europe/Berlin', want: '2026-12-07T13:00:00+01:00' },
    { zone: 'America/New_York', want: '2026-12-07T07:00:00-05:00' },
    { zone: 'Asia/Kolkata', want: '2026-12-07T17:30:00+05:30' },
  ])('scheduled-timestamp in $zone is $want', ({ zone, want }) => {
    const got = jobFromTemplate(cronJob({ timeZone: zone }), T('2026-12-07T12:00:00Z'));
    expect(got.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]).toBe(want);
  });

  it('copies template metadata and spec, and is controlled by the CronJob', () => {
    const cj = cronJob();
    cj.spec!.jobTemplate.metadata = { labels: { app: 'x' }, annotations: { note: 'y' } };
    const got = jobFromTemplate(cj, T('2026-12-07T12:00:00Z'));
    expect(got.metadata).toMatchObject({ namespace: 'ns', labels: { app: 'x' }, annotations: { note: 'y' } });
    expect(got.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
    expect(got.spec).toEqual(cj.spec?.jobTemplate.spec);
  });
});

describe('finishedType', () => {
  it.each([
    { name: 'no conditions', j: job('a'), want: undefined },
    { name: 'Complete', j: job('a', { finished: 'Complete' }), want: 'Complete' },
    { name: 'Failed', j: job('a', { finished: 'Failed' }), want: 'Failed' },
    { name: 'Complete False', j: { ...job('a'), status: { conditions: [{ type: 'Complete', status: 'False' as const }] } }, want: undefined },
  ])('$name → $want', ({ j, want }) => {
    expect(finishedType(j)).toBe(want);
  });
});
