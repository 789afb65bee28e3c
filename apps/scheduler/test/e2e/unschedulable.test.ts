// Acceptance: a pod too large for every node stays Pending with Kubernetes' exact FailedScheduling
// message and PodScheduled=False, and is placed within a second of a big enough node appearing.
import type { Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerApp } from '../../src/app.js';
import { INITIAL_BACKOFF_MS } from '../../src/queue/backoff.js';
import { createNode, createPod, podEvents, startCluster, startScheduler, type Cluster } from '../helpers/cluster.js';

const MESSAGE = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu.';

let c: Cluster;
let sched: SchedulerApp;

beforeAll(async () => {
  c = await startCluster();
  await createNode(c, 'small', { cpu: '1', memory: '2Gi' });
  await createNode(c, 'medium', { cpu: '2', memory: '4Gi' });
  await createNode(c, 'tainted', { cpu: '16', memory: '32Gi' }, { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] });
  sched = await startScheduler(c);
});

afterAll(async () => {
  await sched?.stop();
  await c?.stop();
});

const scheduledCondition = (p: Pod) => p.status?.conditions?.find((x) => x.type === 'PodScheduled');

describe('a pod too large for every node', () => {
  it('stays Pending with the exact message, then lands within a second of a fitting node', async () => {
    await createPod(c, 'big', { cpu: '4', memory: '1Gi' });
    const pending = await waitFor(async () => {
      const p = await c.pods.get('big', { namespace: 'default' });
      return scheduledCondition(p)?.status === 'False' ? p : undefined;
    });
    expect(scheduledCondition(pending)).toMatchObject({ status: 'False', reason: 'Unschedulable', message: MESSAGE });
    expect(pending.status?.phase).toBe('Pending');
    const failed = await waitFor(async () => (await podEvents(c, 'big')).find((e) => e.reason === 'FailedScheduling'));
    expect([failed.type, failed.message, failed.involvedObject.kind]).toEqual(['Warning', MESSAGE, 'Pod']);

    // It stays Pending past its back-off: nothing that happened can help it, so nothing retries it.
    const since = Date.now();
    await waitFor(async () => {
      const p = await c.pods.get('big', { namespace: 'default' });
      if (p.spec?.nodeName) throw new Error('bound without a fitting node');
      return Date.now() - since > INITIAL_BACKOFF_MS + 200;
    }, { timeoutMs: 5_000 });
    expect(sched.scheduler.queue.lengths().unschedulable).toBe(1);

    const nodeAppeared = Date.now();
    await createNode(c, 'huge', { cpu: '8', memory: '16Gi' });
    const bound = await waitFor(
      async () => {
        const p = await c.pods.get('big', { namespace: 'default' });
        return p.spec?.nodeName ? p : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 10 },
    );
    const took = Date.now() - nodeAppeared;
    expect(bound.spec?.nodeName).toBe('huge');
    console.info(`placed ${took} ms after the fitting node was created`);
    expect(took).toBeLessThan(1000);
    expect(scheduledCondition(bound)?.status).toBe('True');
    const scheduled = await waitFor(async () => (await podEvents(c, 'big')).find((e) => e.reason === 'Scheduled'));
    expect(scheduled.message).toBe('Successfully assigned default/big to huge');
  });

  it('keeps pods of other schedulers and gated pods out of its queue', async () => {
    await createPod(c, 'other', {}, { spec: { schedulerName: 'someone-else' } });
    await createPod(c, 'gated', {}, { spec: { schedulingGates: [{ name: 'wait' }] } });
    await createPod(c, 'mine', {});
    await waitFor(async () => (await c.pods.get('mine', { namespace: 'default' })).spec?.nodeName);
    for (const name of ['other', 'gated']) expect((await c.pods.get(name, { namespace: 'default' })).spec?.nodeName).toBeUndefined();
  });
});
