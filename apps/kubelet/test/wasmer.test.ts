// Acceptance of the @wasmer/sdk runtime plugin (apps/runtime-wasmer) through a real kubelet: the
// plugin is its own process on a socket, registered with `--runtime-endpoint wasmer=unix://...`;
// pods of the RuntimeClass `wasmer` run the examples' modules there. The batch example succeeds
// and `kubectl logs` reads it, the spinning example is stopped within its grace period, the memory
// example is OOMKilled at its limit, and after `kill -9` of the plugin (started again, as its
// service manager would) the kubelet reconnects and re-creates the pod it ran.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigMapResource, EventResource, RuntimeClassResource, type Pod } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { kubectl, startApp, waitFor, type AppProcess } from '@kite/testing';
import { batchPod, pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

const SUBNET = 147;
let c: KubeletCluster;
let dir: string;
let socket: string;
let plugin: AppProcess;

async function startPlugin(): Promise<AppProcess> {
  const p = startApp('runtime-wasmer', ['--socket', socket, '--root-dir', join(dir, 'state'), '--image-cache', join(dir, 'images')]);
  await waitFor(() => existsSync(socket), { timeoutMs: 15_000, message: `the wasmer plugin socket; output: ${p.output()}` });
  return p;
}

const wasmerPod = (name: string, image: string, extra: Partial<NonNullable<Pod['spec']>> = {}, limits?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: c.nodeName, runtimeClassName: 'wasmer', restartPolicy: 'Never', containers: [{ name: 'main', image, ...(limits ? { resources: { limits } } : {}) }], ...extra },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-wasmer-'));
  socket = join(dir, 'wasmer.sock');
  plugin = await startPlugin();
  c = await startKubeletCluster(SUBNET, ['--runtime-endpoint', `wasmer=unix://${socket}`]);
  await c.client.resource(RuntimeClassResource).create({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'wasmer' }, handler: 'wasmer' });
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: 'default' }, data: { 'config.txt': 'greeting=hello from wasmer\n' } });
}, 90_000);
afterAll(async () => {
  await c?.stop();
  await plugin?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('runs the batch example through the plugin; kubectl logs reads its output', async () => {
  const spec = batchPod(c, 'batch', ['--config', '/config/config.txt'], 'batch-config');
  await pods(c).create({ ...spec, spec: { ...spec.spec, runtimeClassName: 'wasmer' } } as Pod);
  const done = await waitForPod(c, 'batch', (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', 60_000, 'finished');
  expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  expect(done.status?.containerStatuses?.[0]?.containerID).toMatch(/^wasmer:\/\//);
  const logs = await kubectl({ kubeconfig: await c.apiserver.kubeconfig(), dir }, 'logs', 'batch');
  expect(logs.stderr).toBe('');
  expect(logs.stdout).toContain('hello from wasmer');
}, 90_000);

it('stops the spinning example within its grace period', async () => {
  await pods(c).create(wasmerPod('spin', 'spin/build/spin.wasm', { terminationGracePeriodSeconds: 2 }));
  await waitForPod(c, 'spin', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined, 30_000, 'running');
  const started = Date.now();
  await pods(c).delete('spin', { namespace: 'default' });
  await waitFor(async () => pods(c).get('spin', { namespace: 'default' }).then(() => false, (e: unknown) => isNotFound(e)), { timeoutMs: 15_000, message: 'spin gone' });
  // Grace 2 s, plus the kubelet's and the apiserver's own steps.
  expect(Date.now() - started).toBeLessThan(2_000 + 3_000);
}, 60_000);

it('ends the memory example OOMKilled at its limit', async () => {
  await pods(c).create(wasmerPod('memhog', 'memhog/build/memhog.wasm', {}, { memory: '32Mi' }));
  const done = await waitForPod(c, 'memhog', (p) => p.status?.phase === 'Failed', 60_000, 'Failed');
  expect(done.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe('OOMKilled');
}, 90_000);

it('after kill -9 of the plugin, the kubelet reconnects and re-creates its pod', async () => {
  await pods(c).create(wasmerPod('again', 'spin/build/spin.wasm', { restartPolicy: 'Always', terminationGracePeriodSeconds: 1 }));
  const before = await waitForPod(c, 'again', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined, 30_000, 'running');
  const idBefore = before.status?.containerStatuses?.[0]?.containerID;
  await plugin.kill();
  plugin = await startPlugin();
  const after = await waitForPod(c, 'again', (p) => {
    const s = p.status?.containerStatuses?.[0];
    return s?.state?.running !== undefined && s.containerID !== idBefore;
  }, 30_000, 'running again after the plugin restarted');
  expect(after.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
  const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=again' });
  expect(events.items.map((e) => e.reason)).toContain('SandboxChanged');
  await pods(c).delete('again', { namespace: 'default' });
}, 90_000);
