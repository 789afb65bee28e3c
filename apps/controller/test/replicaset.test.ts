// ReplicaSet acceptance: replacement, adoption and release, bursts without duplicates,
// minReadySeconds — against a real apiserver with hollow nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodResource, ReplicaSetResource, type Pod, type ReplicaSet } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';
import { waitFor } from '@kite/testing';
import { createNamespace, startCluster, type TestCluster } from './helpers/cluster.js';
import { PodWatch } from './helpers/watch.js';

let c: TestCluster;
let rsClient: ResourceClient<ReplicaSet>;
let pods: ResourceClient<Pod>;
let n = 0;

beforeAll(async () => {
  c = await startCluster({ nodes: 3 });
  rsClient = c.client.resource(ReplicaSetResource);
  pods = c.client.resource(PodResource);
});
afterAll(async () => c?.stop());

function replicaSet(namespace: string, name: string, replicas: number, minReadySeconds = 0): ReplicaSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace },
    spec: { replicas, minReadySeconds, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'hello.wasm' }] } } },
  };
}

async function ns(): Promise<string> {
  const name = `rs-${++n}`;
  await createNamespace(c.client, name);
  return name;
}

async function available(namespace: string, name: string, count: number): Promise<ReplicaSet> {
  return waitFor(
    async () => {
      const rs = await rsClient.get(name, { namespace });
      return rs.status?.availableReplicas === count && rs.status.replicas === count && rs.status.observedGeneration === rs.metadata.generation ? rs : undefined;
    },
    { timeoutMs: 20_000, message: `${namespace}/${name} to have ${count} available` },
  );
}

async function livePods(namespace: string): Promise<Pod[]> {
  return (await pods.list({ namespace })).items.filter((p) => !p.metadata.deletionTimestamp);
}

describe('ReplicaSet', () => {
  it('replaces a deleted pod', async () => {
    const namespace = await ns();
    await rsClient.create(replicaSet(namespace, 'web', 3));
    await available(namespace, 'web', 3);
    const [victim] = await livePods(namespace);
    await pods.delete(victim?.metadata.name ?? '', { namespace });
    const after = await waitFor(async () => {
      const list = await livePods(namespace);
      return list.length === 3 && !list.some((p) => p.metadata.name === victim?.metadata.name) ? list : undefined;
    });
    expect(after.every((p) => p.metadata.ownerReferences?.[0]?.controller === true)).toBe(true);
    await available(namespace, 'web', 3);
  });

  it('creates a burst of 200 pods without duplicates and deletes down without overshoot', async () => {
    const namespace = await ns();
    const watch = new PodWatch(c.client, namespace);
    await watch.start();
    await rsClient.create(replicaSet(namespace, 'burst', 200));
    await available(namespace, 'burst', 200);
    expect(watch.added.size).toBe(200);
    await rsClient.patchScale('burst', { spec: { replicas: 20 } }, { type: 'merge', namespace });
    await available(namespace, 'burst', 20);
    await waitFor(async () => (await pods.list({ namespace })).items.length === 20);
    expect(watch.added.size).toBe(200);
    await watch.stop();
  });

  it('adopts a matching orphan and releases a pod that stops matching', async () => {
    const namespace = await ns();
    const orphan: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'hello.wasm' }] } };
    await pods.create(orphan);
    const rs = await rsClient.create(replicaSet(namespace, 'web', 2));
    const adopted = await waitFor(async () => {
      const p = await pods.get('orphan', { namespace });
      return p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid ? p : undefined;
    });
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true, blockOwnerDeletion: true });
    await available(namespace, 'web', 2);
    expect(await livePods(namespace)).toHaveLength(2);
    await pods.patch('orphan', { metadata: { labels: { app: 'elsewhere' } } }, { type: 'merge', namespace });
    const released = await waitFor(async () => {
      const p = await pods.get('orphan', { namespace });
      return (p.metadata.ownerReferences ?? []).length === 0 ? p : undefined;
    });
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    await waitFor(async () => (await livePods(namespace)).filter((p) => p.metadata.labels?.app === 'web').length === 2);
  });

  it('counts a ready pod as available only after minReadySeconds', async () => {
    const namespace = await ns();
    await rsClient.create(replicaSet(namespace, 'slow', 2, 1));
    const ready = await waitFor(async () => {
      const rs = await rsClient.get('slow', { namespace });
      return rs.status?.readyReplicas === 2 ? rs : undefined;
    });
    expect(ready.status?.availableReplicas).toBe(0);
    const start = Date.now();
    await available(namespace, 'slow', 2);
    expect(Date.now() - start).toBeGreaterThan(300);
  });

  it('records SuccessfulCreate events for kubectl describe', async () => {
    const namespace = await ns();
    await rsClient.create(replicaSet(namespace, 'ev', 2));
    await available(namespace, 'ev', 2);
    const events = await waitFor(async () => {
      const list = await c.client.raw('GET', `/api/v1/namespaces/${namespace}/events`);
      const items = (list as { items?: { reason?: string; involvedObject?: { name?: string } }[] }).items ?? [];
      const created = items.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === 'ev');
      return created.length === 2 ? created : undefined;
    });
    expect(events).toHaveLength(2);
  });
});
