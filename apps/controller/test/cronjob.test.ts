// CronJob acceptance, all real parts: redis-server, the apiserver over TLS, the scheduler, the built
// controller manager (cronjob, job and garbage collector controllers) and one kubelet running
// examples/wasm-pods as Wasm pods (batch: runs to completion, or fails with --fail; hello-http:
// runs until stopped), and the real kubectl.
//
// To keep the wall time low, every scheduled CronJob (`* * * * *`) is created at once in one
// cluster and the file waits for at most two minute boundaries B1 and B2:
//   every   Allow, successfulJobsHistoryLimit 1: a Job at B1 (on time), one at B2, then B1's deleted
//   failing backoffLimit 0, failedJobsHistoryLimit 1: same with Failed Jobs
//   forbid  Forbid, a long-running pod: the B1 Job stays active, B2 is skipped (JobAlreadyActive)
//   replace Replace, a long-running pod: at B2 the B1 Job is deleted and the B2 Job created
// plus a suspended CronJob for `kubectl create job --from=cronjob/X`, and bad input (422).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMapResource,
  CRONJOB_INSTANTIATE_ANNOTATION,
  CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION,
  CronJobResource,
  EventResource,
  JobResource,
  type ConfigMap,
  type CronJob,
  type Job,
} from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { repoRoot, waitFor } from '@kite/testing';
import { startHpaCluster, type HpaCluster } from './helpers/hpa-cluster.js';
import { kubectl } from './helpers/kubectl.js';

/** Node 127.1.105.1, pods 127.64.105.0/24: this file's own subnet. */
const SUBNET = 105;
const NS = 'default';
const MINUTE_MS = 60_000;
/** How late after its minute boundary a Job may be created on a loaded 2-core machine. */
const ON_TIME_MS = 10_000;
/** A boundary plus Job creation, pod start and completion on a loaded machine. */
const AFTER_BOUNDARY_MS = 45_000;
const BATCH_IMAGE = 'batch/build/batch.wasm';
const LONG_RUNNING_IMAGE = 'hello-http/build/hello-http-v1.wasm';

let c: HpaCluster;
let b1 = 0;

/** The next minute boundary after `t`. */
const nextBoundary = (t: number) => Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
const jobNameAt = (cj: string, boundary: number) => `${cj}-${boundary / MINUTE_MS}`;

interface CronJobOptions {
  image?: string;
  args?: string[];
  policy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successful?: number;
  failed?: number;
}

function cronJob(name: string, o: CronJobOptions = {}): CronJob {
  const image = o.image ?? BATCH_IMAGE;
  const batch = image === BATCH_IMAGE;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: NS },
    spec: {
      schedule: '* * * * *',
      ...(o.policy ? { concurrencyPolicy: o.policy } : {}),
      ...(o.suspend ? { suspend: true } : {}),
      ...(o.successful !== undefined ? { successfulJobsHistoryLimit: o.successful } : {}),
      ...(o.failed !== undefined ? { failedJobsHistoryLimit: o.failed } : {}),
      jobTemplate: {
        metadata: { labels: { cronjob: name } },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'main',
                  image,
                  args: batch ? ['--config', '/config/config.txt', ...(o.args ?? [])] : [],
                  resources: { limits: { memory: batch ? '32Mi' : '64Mi' } },
                  ...(batch ? { volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }] } : {}),
                  // A Wasm HTTP component serves (and so keeps running) only on a declared port.
                  ...(batch ? {} : { ports: [{ containerPort: 8080 }] }),
                },
              ],
              ...(batch ? { volumes: [{ name: 'config', configMap: { name: 'batch-config' } }] } : {}),
            },
          },
        },
      },
    },
  };
}

async function jobsOf(cj: string): Promise<Job[]> {
  return (await c.client.resource(JobResource).list({ namespace: NS, labelSelector: `cronjob=${cj}` })).items;
}

const finished = (j: Job, type: 'Complete' | 'Failed') => (j.status?.conditions ?? []).some((x) => x.type === type && x.status === 'True');

async function eventReasons(cj: string): Promise<string[]> {
  const events = await c.client.resource(EventResource).list({ namespace: NS, fieldSelector: `involvedObject.kind=CronJob,involvedObject.name=${cj}` });
  return events.items.map((e) => e.reason ?? '');
}

/** Waits until `ms` (epoch) has passed. */
const until = (ms: number) => waitFor(() => Date.now() >= ms, { timeoutMs: ms - Date.now() + 1000, intervalMs: 200, message: `time ${new Date(ms).toISOString()}` });

beforeAll(async () => {
  c = await startHpaCluster({ subnet: SUBNET, metricResolution: '15s', managerArgs: [], controllers: ['cronjob', 'job', 'garbagecollector'] });
  const config: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: NS }, data: { 'config.txt': 'greeting=hello\n' } };
  await c.client.resource(ConfigMapResource).create(config);
  // A CronJob created after second 50 could see its first run before the informers saw it; start
  // the clock on a boundary far enough away to be caught on time.
  const now = Date.now();
  b1 = nextBoundary(now) - now < 8_000 ? nextBoundary(now) + MINUTE_MS : nextBoundary(now);
  const cronJobs = c.client.resource(CronJobResource);
  await Promise.all([
    cronJobs.create(cronJob('every', { successful: 1 })),
    cronJobs.create(cronJob('failing', { args: ['--fail'], failed: 1 })),
    cronJobs.create(cronJob('forbid', { image: LONG_RUNNING_IMAGE, policy: 'Forbid' })),
    cronJobs.create(cronJob('replace', { image: LONG_RUNNING_IMAGE, policy: 'Replace' })),
    cronJobs.create(cronJob('by-hand', { suspend: true })),
  ]);
}, 120_000);

afterAll(async () => {
  await c?.stop();
});

describe('CronJob', () => {
  it.each([
    { name: 'an unparseable schedule', patch: { schedule: 'every minute' }, field: 'spec.schedule', message: '' },
    { name: 'six fields', patch: { schedule: '0 * * * * *' }, field: 'spec.schedule', message: 'expected exactly 5 fields' },
    { name: 'TZ= in the schedule', patch: { schedule: 'TZ=Europe/Berlin 0 9 * * *' }, field: 'spec.schedule', message: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' },
    { name: 'CRON_TZ= in the schedule', patch: { schedule: 'CRON_TZ=UTC 0 9 * * *' }, field: 'spec.schedule', message: 'cannot use TZ or CRON_TZ in schedule' },
    { name: 'an unknown timeZone', patch: { timeZone: 'Mars/Olympus_Mons' }, field: 'spec.timeZone', message: 'unknown time zone' },
    { name: 'timeZone Local', patch: { timeZone: 'Local' }, field: 'spec.timeZone', message: 'explicit time zone' },
    { name: 'a bad concurrencyPolicy', patch: { concurrencyPolicy: 'Sometimes' }, field: 'spec.concurrencyPolicy', message: 'supported values' },
    { name: 'a negative history limit', patch: { successfulJobsHistoryLimit: -1 }, field: 'spec.successfulJobsHistoryLimit', message: '' },
  ])('refuses $name with 422 naming $field', async ({ patch, field, message }) => {
    const cj = cronJob('bad');
    cj.spec = { ...cj.spec, ...patch } as CronJob['spec'];
    const err = await c.client.resource(CronJobResource).create(cj).catch((e: unknown) => e);
    expect(isApiError(err)).toBe(true);
    if (!isApiError(err)) return;
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    const cause = err.status.details?.causes?.find((x) => x.field === field);
    expect(cause?.message).toContain(message);
  });

  it('defaults concurrencyPolicy, suspend and the history limits', async () => {
    const cj = await c.client.resource(CronJobResource).get('forbid', { namespace: NS });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Forbid', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });

  it('kubectl get cj prints the Kubernetes columns; kubectl create job --from=cronjob makes a Job of the template', async () => {
    const get = await kubectl(c.apiserver, ['get', 'cj', 'by-hand', '-n', NS]);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout.split('\n')[0]?.split(/\s{2,}/)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(get.stdout).toMatch(/by-hand\s+\* \* \* \* \*\s+<none>\s+True\s+0\s+<none>/);
    const create = await kubectl(c.apiserver, ['create', 'job', 'by-hand-now', '--from=cronjob/by-hand', '-n', NS]);
    expect(create.code, create.stderr).toBe(0);
    const owner = await c.client.resource(CronJobResource).get('by-hand', { namespace: NS });
    const job = await c.client.resource(JobResource).get('by-hand-now', { namespace: NS });
    expect(job.metadata.annotations?.[CRONJOB_INSTANTIATE_ANNOTATION]).toBe('manual');
    expect(job.metadata.labels?.cronjob).toBe('by-hand');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'by-hand', uid: owner.metadata.uid, controller: true });
    expect(job.spec?.template.spec?.containers[0]?.image).toBe(BATCH_IMAGE);
    await waitFor(async () => finished(await c.client.resource(JobResource).get('by-hand-now', { namespace: NS }), 'Complete'), { timeoutMs: AFTER_BOUNDARY_MS, message: 'by-hand-now Complete' });
  }, 90_000);

  it('creates a Job at the minute boundary, named after it and controlled by the CronJob', async () => {
    const name = jobNameAt('every', b1);
    const job = await waitFor(() => c.client.resource(JobResource).get(name, { namespace: NS }), { timeoutMs: b1 - Date.now() + AFTER_BOUNDARY_MS, intervalMs: 200, message: `Job ${name}` });
    const late = Date.parse(job.metadata.creationTimestamp ?? '') - b1;
    expect(late).toBeGreaterThanOrEqual(-1000);
    expect(late).toBeLessThan(ON_TIME_MS);
    expect(job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]).toBe(new Date(b1).toISOString().replace('.000Z', 'Z'));
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'every', controller: true });
    const cj = await waitFor(async () => {
      const got = await c.client.resource(CronJobResource).get('every', { namespace: NS });
      return got.status?.lastScheduleTime ? got : undefined;
    }, { message: 'every lastScheduleTime' });
    expect(Date.parse(cj.status?.lastScheduleTime ?? '')).toBe(b1);
  }, 150_000);

  it('Forbid skips a run while the previous Job is still active', async () => {
    const b2 = b1 + MINUTE_MS;
    await until(b2);
    await waitFor(async () => (await eventReasons('forbid')).includes('JobAlreadyActive'), { timeoutMs: AFTER_BOUNDARY_MS, message: 'JobAlreadyActive' });
    const jobs = await jobsOf('forbid');
    expect(jobs.map((j) => j.metadata.name)).toEqual([jobNameAt('forbid', b1)]);
    const cj = await c.client.resource(CronJobResource).get('forbid', { namespace: NS });
    expect(cj.status?.active?.map((r) => r.name)).toEqual([jobNameAt('forbid', b1)]);
  }, 150_000);

  it('Replace deletes the active Job and starts the new run', async () => {
    const cj = await waitFor(async () => {
      const got = await c.client.resource(CronJobResource).get('replace', { namespace: NS });
      return got.status?.active?.[0]?.name === jobNameAt('replace', b1 + MINUTE_MS) ? got : undefined;
    }, { timeoutMs: AFTER_BOUNDARY_MS, message: 'replace running its B2 Job' });
    expect(cj.status?.active).toHaveLength(1);
    await waitFor(async () => (await jobsOf('replace')).every((j) => j.metadata.name !== jobNameAt('replace', b1) || j.metadata.deletionTimestamp), {
      timeoutMs: AFTER_BOUNDARY_MS,
      message: 'the B1 Job of replace deleted',
    });
    // The event is written after the delete, by the recorder's own queue: wait for it, too.
    await waitFor(async () => (await eventReasons('replace')).includes('SuccessfulDelete'), { timeoutMs: 10_000, message: 'SuccessfulDelete event of replace' });
  }, 90_000);

  it.each([
    { cj: 'every', type: 'Complete' as const },
    { cj: 'failing', type: 'Failed' as const },
  ])('keeps at most one $type Job of $cj', async ({ cj, type }) => {
    const latest = jobNameAt(cj, b1 + MINUTE_MS);
    const jobs = await waitFor(async () => {
      const all = (await jobsOf(cj)).filter((j) => !j.metadata.deletionTimestamp);
      return all.length === 1 && all[0]?.metadata.name === latest && finished(all[0], type) ? all : undefined;
    }, { timeoutMs: AFTER_BOUNDARY_MS, intervalMs: 200, message: `only ${latest} left, ${type}` });
    expect(jobs).toHaveLength(1);
    // Events are posted by the recorder after the delete it reports; poll until all three are in.
    const wanted = ['SuccessfulCreate', 'SawCompletedJob', 'SuccessfulDelete'];
    const reasons = await waitFor(async () => {
      const got = await eventReasons(cj);
      return wanted.every((r) => got.includes(r)) ? got : undefined;
    }, { timeoutMs: 10_000, message: `${wanted.join(', ')} events of ${cj}` });
    expect(reasons).toEqual(expect.arrayContaining(wanted));
    if (type === 'Complete') {
      const owner = await c.client.resource(CronJobResource).get(cj, { namespace: NS });
      expect(owner.status?.lastSuccessfulTime).toBeTruthy();
    }
  }, 90_000);
});

// The examples' YAML names the same images this file uses; fail loudly if they move.
it('uses images the examples still ship', async () => {
  expect(await readFile(join(repoRoot, 'examples/wasm-pods/batch/pod.yaml'), 'utf8')).toContain(BATCH_IMAGE);
  expect(await readFile(join(repoRoot, 'examples/wasm-pods/hello-http/pod.yaml'), 'utf8')).toContain(LONG_RUNNING_IMAGE);
});
