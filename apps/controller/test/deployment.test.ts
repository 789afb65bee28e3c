// Deployment acceptance: a real apiserver and redis-server, three hollow nodes, the controller
// manager in-process. Each test works in its own namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, PodResource, ReplicaSetResource, REVISION_ANNOTATION, type Deployment, type ReplicaSet } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';
import { waitFor } from '@kite/testing';
import { resolveBudget } from '../src/deployment/math.js';
import { POD_TEMPLATE_HASH_LABEL } from '../src/deployment/hash.js';
import { ROLLBACK_TO_ANNOTATION } from '../src/deployment/revisions.js';
import { createNamespace, deployment, startCluster, type DeploymentSpecOptions, type TestCluster } from './helpers/cluster.js';
import { hasKubectl, kubectl } from './helpers/kubectl.js';
import { activePods, isReady, PodWatch } from './helpers/watch.js';

/** Image whose pods never become ready (the hollow nodes' readiness rule below). */
const NEVER_READY_IMAGE = 'never-ready.wasm';
const ROLLOUT_TIMEOUT_MS = 20_000;

let c: TestCluster;
let deployments: ResourceClient<Deployment>;
let replicaSets: ResourceClient<ReplicaSet>;
let nsCounter = 0;

beforeAll(async () => {
  c = await startCluster({ nodes: 3, hollow: { isReady: (p) => p.spec?.containers[0]?.image !== NEVER_READY_IMAGE } });
  deployments = c.client.resource(DeploymentResource);
  replicaSets = c.client.resource(ReplicaSetResource);
});
afterAll(async () => c?.stop());

async function freshNamespace(): Promise<string> {
  const ns = `deploy-${++nsCounter}`;
  await createNamespace(c.client, ns);
  return ns;
}

/** Waits until the Deployment's rollout is complete, as `kubectl rollout status` judges it. */
async function rolledOut(ns: string, name: string): Promise<Deployment> {
  return waitFor(
    async () => {
      const d = await deployments.get(name, { namespace: ns });
      const want = d.spec?.replicas ?? 1;
      const s = d.status ?? {};
      const done = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
      return done ? d : undefined;
    },
    { timeoutMs: ROLLOUT_TIMEOUT_MS, message: `deployment ${ns}/${name} to roll out` },
  );
}

async function replicaSetsOf(ns: string): Promise<ReplicaSet[]> {
  return (await replicaSets.list({ namespace: ns })).items;
}

async function setImage(ns: string, name: string, image: string): Promise<void> {
  await deployments.patch(name, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, { type: 'strategic', namespace: ns });
}

async function create(ns: string, name: string, o: DeploymentSpecOptions): Promise<Deployment> {
  await deployments.create(deployment(ns, name, o));
  return rolledOut(ns, name);
}

describe('Deployment', () => {
  it('of 10 replicas on 3 hollow nodes becomes fully available', async () => {
    const ns = await freshNamespace();
    const d = await create(ns, 'web', { replicas: 10 });
    expect(d.status).toMatchObject({ replicas: 10, updatedReplicas: 10, readyReplicas: 10, availableReplicas: 10, unavailableReplicas: 0 });
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('1');
    const conditions = Object.fromEntries((d.status?.conditions ?? []).map((x) => [x.type, x]));
    expect(conditions.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(conditions.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    const rss = await replicaSetsOf(ns);
    expect(rss).toHaveLength(1);
    const hash = rss[0]?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    expect(rss[0]?.metadata.name).toBe(`web-${hash}`);
    const pods = (await c.client.resource(PodResource).list({ namespace: ns })).items;
    expect(pods).toHaveLength(10);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(3);
    expect(pods.every((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash)).toBe(true);
  });

  it.each([
    { maxSurge: '25%', maxUnavailable: '25%' },
    { maxSurge: 0, maxUnavailable: 1 },
    { maxSurge: 3, maxUnavailable: 0 },
    { maxSurge: '50%', maxUnavailable: '50%' },
  ])('rolls an image change within maxSurge $maxSurge / maxUnavailable $maxUnavailable at every watch event', async ({ maxSurge, maxUnavailable }) => {
    const ns = await freshNamespace();
    const replicas = 10;
    await create(ns, 'web', { replicas, maxSurge, maxUnavailable });
    const budget = resolveBudget({ type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } }, replicas);
    const violations: string[] = [];
    const watch = new PodWatch(c.client, ns, (pods) => {
      const active = activePods(pods);
      const available = active.filter(isReady).length;
      if (active.length > replicas + budget.surge) violations.push(`${active.length} pods > ${replicas + budget.surge}`);
      if (available < replicas - budget.unavailable) violations.push(`${available} available < ${replicas - budget.unavailable}`);
    });
    await watch.start();
    await setImage(ns, 'web', 'v2.wasm');
    const d = await rolledOut(ns, 'web');
    await watch.stop();
    expect(violations).toEqual([]);
    expect(watch.events).toBeGreaterThan(replicas * 2);
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    const rss = await replicaSetsOf(ns);
    const [oldRS, newRS] = [...rss].sort((a, b) => Number(a.metadata.annotations?.[REVISION_ANNOTATION]) - Number(b.metadata.annotations?.[REVISION_ANNOTATION]));
    expect(oldRS?.spec?.replicas).toBe(0);
    await waitFor(async () => (await replicaSets.get(oldRS?.metadata.name ?? '', { namespace: ns })).status?.replicas === 0);
    expect(newRS?.spec?.template?.spec?.containers[0]?.image).toBe('v2.wasm');
    expect(newRS?.spec?.replicas).toBe(replicas);
  });

  it.runIf(hasKubectl)('rolls back with kubectl rollout undo, reusing the old ReplicaSet', async () => {
    const ns = await freshNamespace();
    await create(ns, 'web', { replicas: 4 });
    const first = (await replicaSetsOf(ns))[0];
    await setImage(ns, 'web', 'v2.wasm');
    await rolledOut(ns, 'web');
    const undo = await kubectl(c.apiserver, ['-n', ns, 'rollout', 'undo', 'deployment/web']);
    expect(undo.stderr).toBe('');
    const status = await kubectl(c.apiserver, ['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=20s']);
    expect(status.stdout).toContain('successfully rolled out');
    const d = await rolledOut(ns, 'web');
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('hello.wasm');
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');
    const rss = await replicaSetsOf(ns);
    expect(rss).toHaveLength(2);
    const reused = rss.find((rs) => rs.metadata.uid === first?.metadata.uid);
    expect(reused?.metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(reused?.spec?.replicas).toBe(4);
    const history = await kubectl(c.apiserver, ['-n', ns, 'rollout', 'history', 'deployment/web']);
    expect(history.stdout).toMatch(/2\s+<none>\s+3\s+<none>/);
  });

  it('rolls back through the deprecated rollback annotation', async () => {
    const ns = await freshNamespace();
    await create(ns, 'web', { replicas: 3 });
    await setImage(ns, 'web', 'v2.wasm');
    await rolledOut(ns, 'web');
    await setImage(ns, 'web', 'v3.wasm');
    await rolledOut(ns, 'web');
    await deployments.patch('web', { metadata: { annotations: { [ROLLBACK_TO_ANNOTATION]: '1' } } }, { type: 'merge', namespace: ns });
    const d = await waitFor(async () => {
      const x = await rolledOut(ns, 'web');
      return x.spec?.template.spec?.containers[0]?.image === 'hello.wasm' ? x : undefined;
    });
    expect(d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION]).toBeUndefined();
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('4');
  });

  it('Recreate stops every old pod before starting a new one', async () => {
    const ns = await freshNamespace();
    await create(ns, 'db', { replicas: 5, strategy: 'Recreate' });
    const oldHash = (await replicaSetsOf(ns))[0]?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    const overlaps: string[] = [];
    const watch = new PodWatch(c.client, ns, (pods) => {
      const hashes = new Set([...pods.values()].map((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]));
      if (hashes.size > 1) overlaps.push([...hashes].join(','));
    });
    await watch.start();
    await setImage(ns, 'db', 'v2.wasm');
    await waitFor(async () => {
      const d = await rolledOut(ns, 'db');
      return d.status?.updatedReplicas === 5 && (await replicaSetsOf(ns)).length === 2;
    });
    await watch.stop();
    expect(overlaps).toEqual([]);
    expect([...watch.pods.values()].every((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] !== oldHash)).toBe(true);
  });

  it('pause stops the rollout and resume continues it', async () => {
    const ns = await freshNamespace();
    await create(ns, 'web', { replicas: 4 });
    await deployments.patch('web', { spec: { paused: true } }, { type: 'merge', namespace: ns });
    await setImage(ns, 'web', 'v2.wasm');
    const paused = await waitFor(async () => {
      const d = await deployments.get('web', { namespace: ns });
      const cond = d.status?.conditions?.find((x) => x.type === 'Progressing');
      return d.status?.observedGeneration === d.metadata.generation && cond?.reason === 'DeploymentPaused' ? d : undefined;
    });
    expect(paused.status?.updatedReplicas).toBe(0);
    expect(await replicaSetsOf(ns)).toHaveLength(1);
    await deployments.patch('web', { spec: { paused: false } }, { type: 'merge', namespace: ns });
    const d = await rolledOut(ns, 'web');
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    expect(await replicaSetsOf(ns)).toHaveLength(2);
  });

  it.runIf(hasKubectl)('kubectl rollout restart rolls every pod', async () => {
    const ns = await freshNamespace();
    await create(ns, 'web', { replicas: 3 });
    const before = new Set((await c.client.resource(PodResource).list({ namespace: ns })).items.map((p) => p.metadata.name));
    const restart = await kubectl(c.apiserver, ['-n', ns, 'rollout', 'restart', 'deployment/web']);
    expect(restart.code).toBe(0);
    await waitFor(async () => (await rolledOut(ns, 'web')).metadata.annotations?.[REVISION_ANNOTATION] === '2');
    const after = await waitFor(async () => {
      const pods = (await c.client.resource(PodResource).list({ namespace: ns })).items;
      return pods.length === 3 ? pods : undefined;
    });
    expect(after.some((p) => before.has(p.metadata.name))).toBe(false);
  });

  it('scales through the scale subresource, also mid-rollout', async () => {
    const ns = await freshNamespace();
    await create(ns, 'web', { replicas: 4 });
    await deployments.patchScale('web', { spec: { replicas: 8 } }, { type: 'merge', namespace: ns });
    expect((await rolledOut(ns, 'web')).status?.availableReplicas).toBe(8);
    await setImage(ns, 'web', NEVER_READY_IMAGE);
    await waitFor(async () => (await replicaSetsOf(ns)).length === 2);
    await deployments.patchScale('web', { spec: { replicas: 12 } }, { type: 'merge', namespace: ns });
    const rss = await waitFor(async () => {
      const list = await replicaSetsOf(ns);
      const total = list.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      const annotated = list.filter((rs) => (rs.spec?.replicas ?? 0) > 0).every((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] === '12');
      return annotated && total === 12 + 3 ? list : undefined;
    });
    expect(rss.every((rs) => (rs.spec?.replicas ?? 0) > 0)).toBe(true);
    await setImage(ns, 'web', 'v3.wasm');
    expect((await rolledOut(ns, 'web')).status?.availableReplicas).toBe(12);
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    const ns = await freshNamespace();
    await deployments.create(deployment(ns, 'stuck', { replicas: 2, image: NEVER_READY_IMAGE, progressDeadlineSeconds: 1 }));
    const d = await waitFor(
      async () => {
        const x = await deployments.get('stuck', { namespace: ns });
        return x.status?.conditions?.find((k) => k.type === 'Progressing' && k.reason === 'ProgressDeadlineExceeded') ? x : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(d.status?.conditions?.find((k) => k.type === 'Available')?.status).toBe('False');
    if (hasKubectl) {
      const status = await kubectl(c.apiserver, ['-n', ns, 'rollout', 'status', 'deployment/stuck', '--timeout=10s']);
      expect(status.code).not.toBe(0);
      expect(status.stderr).toContain('exceeded its progress deadline');
    }
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    const ns = await freshNamespace();
    await deployments.create({ ...deployment(ns, 'web', { replicas: 2 }), spec: { ...deployment(ns, 'web', { replicas: 2 }).spec, revisionHistoryLimit: 1 } } as Deployment);
    await rolledOut(ns, 'web');
    for (const image of ['v2.wasm', 'v3.wasm', 'v4.wasm']) {
      await setImage(ns, 'web', image);
      await rolledOut(ns, 'web');
    }
    const rss = await waitFor(async () => {
      const list = await replicaSetsOf(ns);
      return list.length === 2 ? list : undefined;
    });
    expect(rss.map((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION]).sort()).toEqual(['3', '4']);
  });
});
