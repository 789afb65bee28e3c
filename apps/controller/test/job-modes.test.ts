// Job completion and failure modes against real processes and Wasm batch pods: an Indexed Job
// runs each index exactly once with JOB_COMPLETION_INDEX in its environment; a failing Job stops
// at backoffLimit (BackoffLimitExceeded, failed = backoffLimit + 1); a podFailurePolicy FailJob
// rule on the exit code fails the Job at the first such failure; activeDeadlineSeconds fails a
// Job that runs too long (DeadlineExceeded) and deletes its pods; a running Job deleted in the
// background leaves no pod behind (the orphans' finalizers are released, the GC deletes them).
// The manager runs with a short --job-backoff-base so failures are retried quickly.
// Loopback subnet 101: node 127.1.101.1, pods 127.64.101.0/24.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_COMPLETION_INDEX_ANNOTATION, JobResource, PodResource, type Job } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { batchJob, startJobCluster, type JobCluster } from './helpers/job-cluster.js';

const SUBNET = 101;
/** First re-creation delay after a failure (Kubernetes' 10 s would make the test slow). */
const BACKOFF_BASE = '100ms';

let c: JobCluster;

beforeAll(async () => {
  c = await startJobCluster({ subnet: SUBNET, controllers: ['job', 'garbagecollector'], managerArgs: ['--job-backoff-base', BACKOFF_BASE] });
  await c.namespace('modes');
}, 120_000);
afterAll(async () => {
  await c?.stop();
});

const NS = 'modes';
const jobs = () => c.client.resource(JobResource);
const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type && x.status === 'True');
async function waitFinished(name: string, timeoutMs = 45_000): Promise<Job> {
  return waitFor(async () => {
    const j = await jobs().get(name, { namespace: NS });
    return condition(j, 'Complete') || condition(j, 'Failed') ? j : undefined;
  }, { timeoutMs, intervalMs: 200, message: `${name} finished` });
}
const podsOf = async (name: string) => (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;

describe('Job modes', () => {
  it('Indexed: each index runs exactly once, with JOB_COMPLETION_INDEX, completedIndexes "0-4"', async () => {
    const job = batchJob(NS, 'indexed', { completions: 5, parallelism: 3, completionMode: 'Indexed', args: ['--write', '/out/index-$(JOB_COMPLETION_INDEX)'] });
    const spec = job.spec?.template.spec;
    spec?.containers[0]?.volumeMounts?.push({ name: 'out', mountPath: '/out' });
    spec?.volumes?.push({ name: 'out', emptyDir: {} });
    await jobs().create(job);
    const done = await waitFinished('indexed');
    expect(condition(done, 'Complete')).toBeDefined();
    expect(done.status?.completedIndexes).toBe('0-4');
    expect(done.status?.succeeded).toBe(5);
    const pods = await podsOf('indexed');
    expect(pods).toHaveLength(5);
    const indexes = pods.map((p) => p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION]).sort();
    expect(indexes).toEqual(['0', '1', '2', '3', '4']);
    for (const p of pods) {
      const ix = p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION] ?? '';
      expect(p.metadata.labels?.[JOB_COMPLETION_INDEX_ANNOTATION]).toBe(ix);
      expect(p.spec?.hostname).toBe(`indexed-${ix}`);
      expect(p.metadata.name).toMatch(new RegExp(`^indexed-${ix}-`));
      const log = await c.client.podLogs(NS, p.metadata.name ?? '');
      expect(log).toContain(`batch: wrote /out/index-${ix}`);
    }
  }, 60_000);

  it('a failing Job stops at backoffLimit: Failed, BackoffLimitExceeded, failed = backoffLimit + 1', async () => {
    const backoffLimit = 2;
    await jobs().create(batchJob(NS, 'failing', { completions: 1, parallelism: 1, backoffLimit, args: ['--fail'] }));
    const done = await waitFinished('failing');
    expect(condition(done, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(condition(done, 'FailureTarget')?.reason).toBe('BackoffLimitExceeded');
    expect(done.status?.failed).toBe(backoffLimit + 1);
    expect(done.status?.succeeded ?? 0).toBe(0);
    const pods = await podsOf('failing');
    expect(pods.filter((p) => p.status?.phase === 'Failed')).toHaveLength(backoffLimit + 1);
    expect(pods.every((p) => (p.metadata.finalizers ?? []).length === 0)).toBe(true);
  }, 60_000);

  it('podFailurePolicy FailJob on exit code 1 fails the Job at the first failure', async () => {
    await jobs().create(
      batchJob(NS, 'policy', {
        completions: 3,
        parallelism: 1,
        backoffLimit: 6,
        args: ['--fail'],
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'batch', operator: 'In', values: [1] } }] },
      }),
    );
    const done = await waitFinished('policy');
    const failed = condition(done, 'Failed');
    expect(failed?.reason).toBe('PodFailurePolicy');
    expect(failed?.message).toMatch(/^Container batch for pod modes\/policy-\w+ failed with exit code 1 matching FailJob rule at index 0$/);
    expect(done.status?.failed).toBe(1);
    expect(await podsOf('policy')).toHaveLength(1);
  }, 60_000);

  it('activeDeadlineSeconds: a Job running too long fails with DeadlineExceeded and its pods are deleted', async () => {
    // Pods of a missing image never start: they stay active until the deadline.
    const job = batchJob(NS, 'deadline', { completions: 2, parallelism: 2, activeDeadlineSeconds: 3 });
    const container = job.spec?.template.spec?.containers[0];
    if (container) container.image = 'missing/none.wasm';
    await jobs().create(job);
    await waitFor(async () => ((await jobs().get('deadline', { namespace: NS })).status?.active ?? 0) === 2, { timeoutMs: 20_000, message: '2 active' });
    const done = await waitFinished('deadline');
    expect(condition(done, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(done.status?.active ?? 0).toBe(0);
    const started = Date.parse(done.status?.startTime ?? '');
    const failedAt = Date.parse(condition(done, 'Failed')?.lastTransitionTime ?? '');
    expect(failedAt - started).toBeGreaterThanOrEqual(3000 - 1000);
    await waitFor(async () => (await podsOf('deadline')).length === 0, { timeoutMs: 20_000, message: 'deadline pods deleted' });
  }, 60_000);

  it('a running Job deleted in the background leaves no pod behind: orphans lose the tracking finalizer', async () => {
    const job = batchJob(NS, 'deleted', { completions: 2, parallelism: 2 });
    const container = job.spec?.template.spec?.containers[0];
    if (container) container.image = 'missing/none.wasm';
    await jobs().create(job);
    await waitFor(async () => (await podsOf('deleted')).length === 2, { timeoutMs: 20_000, message: '2 pods' });
    await jobs().delete('deleted', { namespace: NS, propagationPolicy: 'Background' });
    await waitFor(async () => (await podsOf('deleted')).length === 0, { timeoutMs: 30_000, message: 'pods of the deleted Job gone' });
  }, 60_000);
});
