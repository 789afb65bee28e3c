// The official client libraries against a launched cluster, with nothing but the kubeconfig the
// launcher wrote (CA data and the admin's client certificate embedded; no insecure flag):
// @kubernetes/client-node 1.x and Debian's python3-kubernetes each list, create, replace,
// patch, delete and watch, written the way each library's own documentation shows, and
// client-node's informer follows changes.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kite/testing';
import { launch, type LaunchedCluster } from './helpers.js';

const run = promisify(execFile);
/** Debian's interpreter, where apt puts python3-kubernetes (a pyenv python on PATH would lack it). */
const PYTHON = '/usr/bin/python3';

let cluster: LaunchedCluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  cluster = await launch({ slot: 233, nodes: 1 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
}, 90_000);
afterAll(async () => {
  await cluster?.proc.stop(20_000);
  if (cluster) await rm(cluster.stateDir, { recursive: true, force: true });
});

describe('@kubernetes/client-node', () => {
  it('uses the kubeconfig as it is: HTTPS, the cluster CA, the admin certificate', () => {
    expect(kc.getCurrentCluster()?.server).toBe(cluster.api);
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
    expect(kc.getCurrentUser()?.certData).toBeTruthy();
  });

  it('lists, creates, reads, replaces, patches and deletes', async () => {
    const namespace = 'default';
    const pods = await core.listNamespacedPod({ namespace });
    expect(Array.isArray(pods.items)).toBe(true);

    const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'js-cm', labels: { app: 'js' } }, data: { a: '1' } } });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedConfigMap({ name: 'js-cm', namespace });
    expect(read.data).toEqual({ a: '1' });

    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'js-cm', namespace, body: read });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const jsonPatch = [{ op: 'replace', path: '/metadata/labels', value: { app: 'js', patched: 'json' } }];
    const p1 = await core.patchNamespacedConfigMap({ name: 'js-cm', namespace, body: jsonPatch }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
    expect(p1.metadata?.labels).toEqual({ app: 'js', patched: 'json' });
    const p2 = await core.patchNamespacedConfigMap({ name: 'js-cm', namespace, body: { data: { b: '3' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(p2.data).toEqual({ a: '2', b: '3' });
    const p3 = await core.patchNamespacedConfigMap({ name: 'js-cm', namespace, body: { metadata: { annotations: { how: 'strategic' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    expect(p3.metadata?.annotations).toEqual({ how: 'strategic' });

    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const dep = await apps.createNamespacedDeployment({
      namespace,
      body: { metadata: { name: 'js-dep' }, spec: { replicas: 0, selector: { matchLabels: { app: 'js-dep' } }, template: { metadata: { labels: { app: 'js-dep' } }, spec: { containers: [{ name: 'c', image: 'wasm://hello' }] } } } },
    });
    expect(dep.spec?.replicas).toBe(0);
    await apps.deleteNamespacedDeployment({ name: 'js-dep', namespace });

    await core.deleteNamespacedConfigMap({ name: 'js-cm', namespace });
    const err = await core.readNamespacedConfigMap({ name: 'js-cm', namespace }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<string>).code).toBe(404);
    expect(JSON.parse((err as k8s.ApiException<string>).body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('watches', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch('/api/v1/namespaces/default/configmaps', {}, (type, obj: k8s.V1ConfigMap) => {
      if (obj.metadata?.name === 'js-watched') seen.push(type);
    }, () => undefined);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'js-watched' } } });
    await core.patchNamespacedConfigMap({ name: 'js-watched', namespace: 'default', body: { data: { x: 'y' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'js-watched', namespace: 'default' });
    await waitFor(() => seen.length === 3, { message: `ADDED, MODIFIED, DELETED (got ${seen.join(',')})` });
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    req.abort();
  });

  it("has an informer that follows adds, updates and deletes", async () => {
    const namespace = 'default';
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
    const log: string[] = [];
    informer.on('add', (obj) => log.push(`add ${obj.metadata?.name}`));
    informer.on('update', (obj) => log.push(`update ${obj.metadata?.name} ${JSON.stringify(obj.data)}`));
    informer.on('delete', (obj) => log.push(`delete ${obj.metadata?.name}`));
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'inf-before' } } });
    await informer.start();
    try {
      await waitFor(() => log.includes('add inf-before'), { message: 'the listed object' });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'inf-new' }, data: { v: '1' } } });
      await core.patchNamespacedConfigMap({ name: 'inf-new', namespace, body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'inf-new', namespace });
      await waitFor(() => log.includes('delete inf-new'), { message: `the informer's events: ${log.join('; ')}` });
      expect(log.filter((l) => l.includes('inf-new'))).toEqual(['add inf-new', 'update inf-new {"v":"2"}', 'delete inf-new']);
    } finally {
      await informer.stop();
    }
  });
});

describe('python3-kubernetes (Debian)', () => {
  it('lists, creates, replaces, patches, deletes and watches', async () => {
    const { stdout, stderr } = await run(PYTHON, [join(import.meta.dirname, 'clients', 'python_client.py'), cluster.kubeconfig], { timeout: 60_000, env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(result, `python's stderr:\n${stderr}`).toEqual({
      listed: true,
      created: 'py-cm',
      replaced: { a: '2' },
      patched_labels: { app: 'py', patched: 'yes' },
      deleted: 404,
      watched: ['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED'],
      deployment_replicas: 0,
    });
  });
});
