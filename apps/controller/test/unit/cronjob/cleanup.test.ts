// Table tests of the history limits (src/cronjob/cleanup.ts) and of the active-list reconcile
// (src/cronjob/active.ts).
import { describe, expect, it } from 'vitest';
import { reconcileActive } from '../../../src/cronjob/active.js';
import { jobsToDelete } from '../../../src/cronjob/cleanup.js';
import { cronJob, job } from './fixtures.js';

const at = (minute: number) => `2026-12-07T12:${String(minute).padStart(2, '0')}:00Z`;
const ok = (name: string, minute?: number) => job(name, { finished: 'Complete', ...(minute === undefined ? {} : { started: at(minute) }) });
const bad = (name: string, minute: number) => job(name, { finished: 'Failed', started: at(minute) });

describe('jobsToDelete', () => {
  it.each([
    { name: 'within limits', jobs: [ok('a', 1), ok('b', 2), bad('c', 3)], limits: { successful: 3, failed: 1 }, want: [] },
    { name: 'oldest successful beyond 3', jobs: [ok('e', 5), ok('a', 1), ok('c', 3), ok('b', 2), ok('d', 4)], limits: { successful: 3, failed: 1 }, want: ['a', 'b'] },
    { name: 'failed beyond 1', jobs: [bad('f1', 1), bad('f2', 2), ok('s', 3)], limits: { successful: 3, failed: 1 }, want: ['f1'] },
    { name: 'limit 0 deletes every finished one', jobs: [ok('a', 1), bad('b', 2)], limits: { successful: 0, failed: 0 }, want: ['a', 'b'] },
    { name: 'unset limits keep everything', jobs: [ok('a', 1), ok('b', 2)], limits: {}, want: [] },
    { name: 'running Jobs never count', jobs: [job('r1', { started: at(0) }), job('r2'), ok('a', 1)], limits: { successful: 0, failed: 0 }, want: ['a'] },
    { name: 'unstarted counts as newest', jobs: [ok('x'), ok('a', 1)], limits: { successful: 1 }, want: ['a'] },
    { name: 'ties by name', jobs: [ok('b', 1), ok('a', 1)], limits: { successful: 1 }, want: ['a'] },
    { name: 'already being deleted is skipped', jobs: [job('gone', { finished: 'Complete', started: at(0), deleting: true }), ok('a', 1), ok('b', 2)], limits: { successful: 1 }, want: ['a'] },
  ])('$name', ({ jobs, limits, want }) => {
    expect(jobsToDelete(jobs, limits).map((j) => j.metadata.name)).toEqual(want);
  });
});

describe('reconcileActive', () => {
  const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'ns', name, uid: `uid-${name}` });
  const withActive = (...names: string[]) => {
    const cj = cronJob();
    cj.status = { active: names.map(ref) };
    return cj;
  };
  it.each([
    { name: 'running and listed: unchanged', active: ['a'], jobs: [job('a')], wantActive: ['a'], reasons: [], unknown: [] },
    { name: 'finished leaves active', active: ['a'], jobs: [job('a', { finished: 'Complete', completed: at(3) })], wantActive: [], reasons: ['SawCompletedJob'], unknown: [] },
    { name: 'failed leaves active', active: ['a', 'b'], jobs: [job('a', { finished: 'Failed' }), job('b')], wantActive: ['b'], reasons: ['SawCompletedJob'], unknown: [] },
    { name: 'unlisted running Job is unexpected', active: [], jobs: [job('manual')], wantActive: [], reasons: ['UnexpectedJob'], unknown: [] },
    { name: 'listed but not cached: ask the apiserver', active: ['lost'], jobs: [], wantActive: ['lost'], reasons: [], unknown: ['lost'] },
  ])('$name', ({ active, jobs, wantActive, reasons, unknown }) => {
    const got = reconcileActive(withActive(...active), jobs);
    expect((got.status.active ?? []).map((r) => r.name)).toEqual(wantActive);
    expect(got.events.map((e) => e.reason)).toEqual(reasons);
    expect(got.unknown.map((u) => u.name)).toEqual(unknown);
  });

  it('lastSuccessfulTime is the latest completion of a Complete Job', () => {
    const jobs = [job('a', { finished: 'Complete', completed: at(5) }), job('b', { finished: 'Complete', completed: at(9) }), job('c', { finished: 'Failed' })];
    expect(reconcileActive(withActive(), jobs).status.lastSuccessfulTime).toBe(at(9));
  });
});
