// Job lifecycle against real processes: suspend deletes a Job's running pods without counting
// them and resume runs it to completion; ttlSecondsAfterFinished deletes a finished Job and the
// garbage collector its pods; the real kubectl prints Kubernetes' columns for `get jobs`; bad
// input is refused with 422 and Kubernetes' field messages (also through kubectl apply).
// Loopback subnet 102: node 127.1.102.1, pods 127.64.102.0/24.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobResource, PodResource, type Job } from '@kite/api-types';
import { isApiError, isNotFound } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { batchJob, startJobCluster, type JobCluster } from './helpers/job-cluster.js';
import { hasKubectl, kubectl } from './helpers/kubectl.js';

const SUBNET = 102;
const NS = 'life';

let c: JobCluster;
let dir: string;

beforeAll(async () => {
  c = await startJobCluster({ subnet: SUBNET, controllers: ['job', 'ttl-after-finished', 'garbagecollector'] });
  await c.namespace(NS);
  dir = await mkdtemp(join(tmpdir(), 'kite-job-life-'));
}, 120_000);
afterAll(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const jobs = () => c.client.resource(JobResource);
const getJob = (name: string) => jobs().get(name, { namespace: NS });
const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type);
const isTrue = (j: Job, type: string) => condition(j, type)?.status === 'True';
const podsOf = async (name: string) => (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
async function waitJob(name: string, check: (j: Job) => boolean, what: string, timeoutMs = 30_000): Promise<Job> {
  return waitFor(async () => {
    const j = await getJob(name);
    return check(j) ? j : undefined;
  }, { timeoutMs, intervalMs: 200, message: `${name}: ${what}` });
}

describe('Job lifecycle', () => {
  it('suspend deletes the running pods uncounted (Suspended), resume runs the Job to Complete', async () => {
    // A missing image keeps pods active (Pending) until the Job is suspended.
    const job = batchJob(NS, 'pausable', { completions: 2, parallelism: 2 });
    const container = job.spec?.template.spec?.containers[0];
    if (container) container.image = 'missing/none.wasm';
    await jobs().create(job);
    await waitJob('pausable', (j) => j.status?.active === 2, '2 active');
    await jobs().patch('pausable', { spec: { suspend: true } }, { type: 'merge', namespace: NS });
    const suspended = await waitJob('pausable', (j) => isTrue(j, 'Suspended') && (j.status?.active ?? 0) === 0, 'suspended');
    expect(condition(suspended, 'Suspended')).toMatchObject({ reason: 'JobSuspended', message: 'Job suspended' });
    expect(suspended.status?.failed ?? 0).toBe(0);
    expect(suspended.status?.startTime).toBeUndefined();
    await waitFor(async () => (await podsOf('pausable')).length === 0, { timeoutMs: 20_000, message: 'suspended pods gone' });
    // Resumed with a runnable image: the template is immutable, so a fresh Job shows resume.
    const runnable = batchJob(NS, 'resumable', { completions: 2, parallelism: 2, suspend: true });
    await jobs().create(runnable);
    await waitJob('resumable', (j) => isTrue(j, 'Suspended'), 'suspended at creation');
    expect(await podsOf('resumable')).toHaveLength(0);
    await jobs().patch('resumable', { spec: { suspend: false } }, { type: 'merge', namespace: NS });
    const done = await waitJob('resumable', (j) => isTrue(j, 'Complete'), 'Complete');
    expect(condition(done, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed', message: 'Job resumed' });
    expect(done.status?.succeeded).toBe(2);
  }, 80_000);

  it('ttlSecondsAfterFinished deletes the finished Job, and its pods go with it', async () => {
    await jobs().create(batchJob(NS, 'ephemeral', { completions: 1, ttlSecondsAfterFinished: 1 }));
    const done = await waitJob('ephemeral', (j) => isTrue(j, 'Complete'), 'Complete');
    expect(done.status?.succeeded).toBe(1);
    await waitFor(async () => getJob('ephemeral').then(() => false, (err: unknown) => isNotFound(err)), { timeoutMs: 30_000, intervalMs: 200, message: 'Job deleted' });
    await waitFor(async () => (await podsOf('ephemeral')).length === 0, { timeoutMs: 30_000, message: 'pods deleted' });
  }, 60_000);

  it.skipIf(!hasKubectl)('kubectl get jobs prints NAME STATUS COMPLETIONS DURATION AGE', async () => {
    await jobs().create(batchJob(NS, 'printed', { completions: 2, parallelism: 2 }));
    await waitJob('printed', (j) => isTrue(j, 'Complete'), 'Complete');
    const out = await kubectl(c.apiserver, ['get', 'jobs', '-n', NS, 'printed']);
    expect(out.stderr).toBe('');
    const [header, row] = out.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(row).toMatch(/^printed\s+Complete\s+2\/2\s+\d+s\s+\d+s$/);
    const wide = await kubectl(c.apiserver, ['get', 'jobs', '-n', NS, 'printed', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide.stdout).toContain('batch.kubernetes.io/controller-uid=');
  }, 60_000);

  it.each([
    { name: 'restartPolicy Always', patch: (j: Job) => setRestartPolicy(j, 'Always'), field: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"' },
    // With parallelism unset too, completions defaults to 1 (as in Kubernetes), so set parallelism.
    { name: 'Indexed without completions', patch: (j: Job) => Object.assign(j.spec ?? {}, { completionMode: 'Indexed', completions: undefined, parallelism: 2 }), field: 'spec.completions', message: 'Required value: when completion mode is Indexed' },
    { name: 'negative parallelism', patch: (j: Job) => Object.assign(j.spec ?? {}, { parallelism: -1 }), field: 'spec.parallelism', message: 'must be greater than or equal to 0' },
    { name: 'negative backoffLimit', patch: (j: Job) => Object.assign(j.spec ?? {}, { backoffLimit: -1 }), field: 'spec.backoffLimit', message: 'must be greater than or equal to 0' },
    { name: 'backoffLimitPerIndex on a NonIndexed Job', patch: (j: Job) => Object.assign(j.spec ?? {}, { completions: 2, backoffLimitPerIndex: 1 }), field: 'spec.backoffLimitPerIndex', message: 'requires indexed completion mode' },
    {
      name: 'podFailurePolicy with restartPolicy OnFailure',
      patch: (j: Job) => {
        setRestartPolicy(j, 'OnFailure');
        Object.assign(j.spec ?? {}, { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } });
      },
      field: 'spec.template.spec.restartPolicy',
      message: 'only "Never" is supported when podFailurePolicy is specified',
    },
    {
      name: 'exit code 0 with the In operator',
      patch: (j: Job) => Object.assign(j.spec ?? {}, { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] } }),
      field: 'spec.podFailurePolicy.rules[0].onExitCodes.values[0]',
      message: 'must not be 0 for the In operator',
    },
  ])('refuses $name with 422 naming $field', async ({ patch, field, message }) => {
    const job = batchJob(NS, 'bad', { completions: 1 });
    patch(job);
    const err = await jobs().create(job).catch((e: unknown) => e);
    expect(isApiError(err)).toBe(true);
    if (!isApiError(err)) return;
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.status.details?.causes?.find((x) => x.field === field)?.message).toContain(message);
  });

  it.skipIf(!hasKubectl)('kubectl apply of a Job with restartPolicy Always prints Kubernetes\' error', async () => {
    const job = batchJob(NS, 'always', { completions: 1 });
    setRestartPolicy(job, 'Always');
    const file = join(dir, 'always.json');
    await writeFile(file, JSON.stringify(job));
    const out = await kubectl(c.apiserver, ['apply', '-f', file]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('The Job "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  }, 60_000);

  it('defaults as Kubernetes: parallelism 1, completions 1, backoffLimit 6, NonIndexed, generated selector', async () => {
    const job = batchJob(NS, 'defaults');
    job.spec = { ...job.spec, suspend: true } as Job['spec'];
    const created = await jobs().create(job);
    const uid = created.metadata.uid ?? '';
    expect(created.spec).toMatchObject({ parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', podReplacementPolicy: 'TerminatingOrFailed' });
    expect(created.spec?.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(created.spec?.template.metadata?.labels).toMatchObject({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'defaults', 'controller-uid': uid, 'job-name': 'defaults' });
  });
});

function setRestartPolicy(job: Job, policy: 'Always' | 'OnFailure' | 'Never'): void {
  const spec = job.spec?.template.spec;
  if (spec) spec.restartPolicy = policy;
}
