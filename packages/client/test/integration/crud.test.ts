// CRUD through the typed client against a real apiserver over a real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, DeploymentResource, EventResource, NamespaceResource, PodResource, type ConfigMap, type Deployment, type Pod } from '@kite/api-types';
import { isApiError, isConflict, isNotFound } from '@kite/apimachinery';
import { EventRecorder } from '../../src/events/recorder.js';
import { startEnv, type Env } from './env.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  data,
});

describe('ResourceClient against the apiserver', () => {
  it('creates, reads, lists, updates, patches and deletes', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const created = await cms.create(cm('crud', { a: '1' }, { app: 'crud' }));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.uid).toBeTruthy();

    const got = await cms.get('crud', { namespace: 'default' });
    expect(got.data).toEqual({ a: '1' });

    const list = await cms.list({ namespace: 'default', labelSelector: 'app=crud' });
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['crud']);
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);

    const updated = await cms.update({ ...got, data: { a: '2' } });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(got.metadata.resourceVersion));

    const stale = await cms.update({ ...got, data: { a: 'stale' } }).catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);
    expect(isApiError(stale) && stale.status).toMatchObject({ kind: 'Status', status: 'Failure', code: 409 });

    const merged = await cms.patch('crud', { data: { b: '3' } }, { type: 'merge', namespace: 'default' });
    expect(merged.data).toEqual({ a: '2', b: '3' });
    const jsonPatched = await cms.patch('crud', [{ op: 'remove', path: '/data/a' }], { type: 'json', namespace: 'default' });
    expect(jsonPatched.data).toEqual({ b: '3' });
    const strategic = await cms.patch('crud', { data: { c: '4' } }, { type: 'strategic', namespace: 'default' });
    expect(strategic.data).toEqual({ b: '3', c: '4' });

    await cms.delete('crud', { namespace: 'default' });
    const missing = await cms.get('crud', { namespace: 'default' }).catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
    expect(isApiError(missing) && missing.status.details).toMatchObject({ name: 'crud', kind: 'configmaps' });
  });

  it('pages with limit/continue and listAll collects every page', async () => {
    const cms = env.client.resource(ConfigMapResource);
    for (let i = 0; i < 5; i++) await cms.create(cm(`page-${i}`, {}, { set: 'paging' }));
    const first = await cms.list({ namespace: 'default', labelSelector: 'set=paging', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const all = await cms.listAll({ namespace: 'default', labelSelector: 'set=paging', limit: 2 });
    expect(all.items.map((i) => i.metadata.name).sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(all.metadata.continue).toBeUndefined();
  });

  it('dry-run create validates without persisting; invalid objects get 422 with causes', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const dry = await cms.create(cm('dry'), { dryRun: true });
    expect(dry.metadata.name).toBe('dry');
    expect(isNotFound(await cms.get('dry', { namespace: 'default' }).catch((e: unknown) => e))).toBe(true);
    const invalid = await cms.create(cm('Not_Valid')).catch((e: unknown) => e);
    expect(isApiError(invalid) && [invalid.code, invalid.reason]).toEqual([422, 'Invalid']);
    expect(isApiError(invalid) && invalid.status.details?.causes?.length).toBeGreaterThan(0);
  });

  it('works with cluster-scoped kinds and the status subresource', async () => {
    const nss = env.client.resource(NamespaceResource);
    const ns = await nss.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'client-it' } });
    expect(ns.status?.phase).toBe('Active');
    const got = await nss.get('client-it');
    const withCondition = await nss.updateStatus({
      ...got,
      status: { ...got.status, conditions: [{ type: 'Test', status: 'True', reason: 'ClientTest', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
    });
    expect(withCondition.status?.conditions?.[0]?.reason).toBe('ClientTest');
  });

  it('binds a pod to a node', async () => {
    const pods = env.client.resource(PodResource);
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bind-me', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    await pods.create(pod);
    await env.client.bindPod('default', 'bind-me', 'node-1');
    expect((await pods.get('bind-me', { namespace: 'default' })).spec?.nodeName).toBe('node-1');
    const again = await env.client.bindPod('default', 'bind-me', 'node-2').catch((e: unknown) => e);
    expect(isApiError(again) && again.code).toBe(409);
  });

  it('reads and patches the scale subresource', async () => {
    const deployments = env.client.resource(DeploymentResource);
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'scaled' } },
        template: { metadata: { labels: { app: 'scaled' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    };
    await deployments.create(d);
    const scale = await deployments.getScale('scaled', { namespace: 'default' });
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 1 } });
    const patched = await deployments.patchScale('scaled', { spec: { replicas: 3 } }, { type: 'merge', namespace: 'default' });
    expect(patched.spec?.replicas).toBe(3);
    const updated = await deployments.updateScale('scaled', { ...patched, spec: { replicas: 4 } }, { namespace: 'default' });
    expect(updated.spec?.replicas).toBe(4);
    expect((await deployments.get('scaled', { namespace: 'default' })).spec?.replicas).toBe(4);
  });

  it('answers raw requests', async () => {
    expect(await env.client.raw('GET', '/version')).toMatchObject({ major: '1', minor: '32' });
  });

  it('records and aggregates events', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const target = await cms.create(cm('evented'));
    const recorder = new EventRecorder({ client: env.client.resource(EventResource), component: 'client-test', host: 'node-1' });
    await recorder.event(target, 'Warning', 'Broken', 'it broke');
    await recorder.event(target, 'Warning', 'Broken', 'it broke');
    await recorder.event(target, 'Normal', 'Fixed', 'fixed it');
    const evs = await env.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=evented' });
    const byReason = Object.fromEntries(evs.items.map((e) => [e.reason, e.count]));
    expect(byReason).toEqual({ Broken: 2, Fixed: 1 });
  });
});
