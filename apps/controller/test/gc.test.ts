// Cascading deletion (garbage collector) and namespace deletion, against a real apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, DeploymentResource, NamespaceResource, PodResource, ReplicaSetResource, ServiceResource, type ConfigMap } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';

let c: TestCluster;
let n = 0;

beforeAll(async () => {
  c = await startCluster({ nodes: 3 });
});
afterAll(async () => c?.stop());

async function ns(prefix: string): Promise<string> {
  const name = `${prefix}-${++n}`;
  await createNamespace(c.client, name);
  return name;
}

async function deployed(namespace: string, replicas = 3): Promise<void> {
  await c.client.resource(DeploymentResource).create(deployment(namespace, 'web', { replicas }));
  await waitFor(async () => (await c.client.resource(DeploymentResource).get('web', { namespace })).status?.availableReplicas === replicas, { timeoutMs: 20_000 });
}

const count = async (namespace: string) => ({
  deployments: (await c.client.resource(DeploymentResource).list({ namespace })).items.length,
  replicaSets: (await c.client.resource(ReplicaSetResource).list({ namespace })).items.length,
  pods: (await c.client.resource(PodResource).list({ namespace })).items.length,
});

describe('garbage collector', () => {
  it('Background: the Deployment goes at once, its ReplicaSet and pods after it', async () => {
    const namespace = await ns('bg');
    await deployed(namespace);
    await c.client.resource(DeploymentResource).delete('web', { namespace, propagationPolicy: 'Background' });
    expect((await count(namespace)).deployments).toBe(0);
    await waitFor(async () => JSON.stringify(await count(namespace)) === JSON.stringify({ deployments: 0, replicaSets: 0, pods: 0 }), { timeoutMs: 15_000 });
  });

  it('Foreground: the Deployment stays until its ReplicaSet and pods are gone', async () => {
    const namespace = await ns('fg');
    await deployed(namespace);
    const seen: string[] = [];
    const poll = setInterval(() => {
      void count(namespace).then((x) => seen.push(JSON.stringify(x)));
    }, 20);
    const res = await c.client.resource(DeploymentResource).delete('web', { namespace, propagationPolicy: 'Foreground' });
    expect(res.kind).toBe('Deployment');
    expect((res as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp).toBeTruthy();
    await waitFor(async () => (await count(namespace)).deployments === 0, { timeoutMs: 15_000 });
    clearInterval(poll);
    expect(await count(namespace)).toEqual({ deployments: 0, replicaSets: 0, pods: 0 });
    // Whenever a dependent still existed, the owner existed too.
    for (const s of seen) {
      const x = JSON.parse(s) as { deployments: number; replicaSets: number; pods: number };
      if (x.replicaSets > 0 || x.pods > 0) expect(x.deployments).toBe(1);
    }
  });

  it('Orphan: the ReplicaSet and pods stay, no longer owned', async () => {
    const namespace = await ns('orphan');
    await deployed(namespace);
    await c.client.resource(DeploymentResource).delete('web', { namespace, propagationPolicy: 'Orphan' });
    await waitFor(async () => (await count(namespace)).deployments === 0, { timeoutMs: 15_000 });
    const rss = (await c.client.resource(ReplicaSetResource).list({ namespace })).items;
    expect(rss).toHaveLength(1);
    expect(rss[0]?.metadata.ownerReferences ?? []).toEqual([]);
    const pods = (await c.client.resource(PodResource).list({ namespace })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === rss[0]?.metadata.uid)).toBe(true);
  });

  it('deletes a dependent whose owner never existed, keeps one with a live owner', async () => {
    const namespace = await ns('dangling');
    const cms = c.client.resource(ConfigMapResource);
    const owner = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace } });
    const dep = (name: string, uid: string, ownerName: string): ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: ownerName, uid }] },
    });
    await cms.create(dep('dangling', '00000000-0000-0000-0000-000000000000', 'ghost'));
    await cms.create(dep('kept', owner.metadata.uid ?? '', 'owner'));
    await waitFor(async () => cms.get('dangling', { namespace }).then(() => false, (e: unknown) => isNotFound(e)));
    expect((await cms.get('kept', { namespace })).metadata.name).toBe('kept');
  });
});

describe('namespace deletion', () => {
  it('removes everything in the namespace, then the namespace; creates meanwhile are refused', async () => {
    const namespace = await ns('doomed');
    await deployed(namespace, 4);
    await c.client.resource(ServiceResource).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    // A finalizer of our own holds one object, so the Terminating phase can be observed.
    const cms = c.client.resource(ConfigMapResource);
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace, finalizers: ['test.kite.dev/hold'] }, data: { a: 'b' } });
    await c.client.resource(NamespaceResource).delete(namespace);
    const terminating = await c.client.resource(NamespaceResource).get(namespace);
    expect(terminating.status?.phase).toBe('Terminating');
    const refused = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace } }).then(
      () => 0,
      (e: { code?: number }) => e.code ?? 0,
    );
    expect(refused).toBe(403);
    await waitFor(async () => JSON.stringify(await count(namespace)) === JSON.stringify({ deployments: 0, replicaSets: 0, pods: 0 }), { timeoutMs: 20_000 });
    const held = await waitFor(async () => {
      const ns = await c.client.resource(NamespaceResource).get(namespace);
      return ns.status?.conditions?.find((x) => x.type === 'NamespaceContentRemaining' && x.status === 'True') ? ns : undefined;
    });
    expect(held.status?.conditions?.find((x) => x.type === 'NamespaceContentRemaining')?.message).toContain('configmaps');
    await cms.patch('cfg', { metadata: { finalizers: null } }, { type: 'merge', namespace });
    await waitFor(async () => c.client.resource(NamespaceResource).get(namespace).then(() => false, (e: unknown) => isNotFound(e)), { timeoutMs: 20_000 });
    expect(await count(namespace)).toEqual({ deployments: 0, replicaSets: 0, pods: 0 });
    expect((await c.client.resource(ServiceResource).list({ namespace })).items).toEqual([]);
    expect((await c.client.resource(ConfigMapResource).list({ namespace })).items).toEqual([]);
  });
});
