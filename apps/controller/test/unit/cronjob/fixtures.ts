// Tiny builders for the CronJob unit tables: a CronJob with a schedule and times, a Job of it
// with a start time and a finished condition.
import type { CronJob, CronJobSpec, Job } from '@kite/api-types';

export const T = (iso: string): number => Date.parse(iso);

export function cronJob(spec: Partial<CronJobSpec> & { created?: string; lastSchedule?: string } = {}): CronJob {
  const { created = '2026-12-07T12:00:30Z', lastSchedule, ...rest } = spec;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'ns', uid: 'cj-uid', creationTimestamp: created },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } }, ...rest },
    status: lastSchedule ? { lastScheduleTime: lastSchedule } : {},
  };
}

export function job(name: string, opts: { started?: string; finished?: 'Complete' | 'Failed'; completed?: string; deleting?: boolean } = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...(opts.deleting ? { deletionTimestamp: '2026-12-07T12:00:00Z' } : {}) },
    status: {
      ...(opts.started ? { startTime: opts.started } : {}),
      ...(opts.completed ? { completionTime: opts.completed } : {}),
      ...(opts.finished ? { conditions: [{ type: opts.finished, status: 'True' }] } : {}),
    },
  };
}
