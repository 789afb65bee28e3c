// A runtime written from docs/runtime-protocol.md alone (test/fixtures/echo-runtime.py, Python)
// registered with `--runtime-endpoint`: the node offers its handler, a pod whose RuntimeClass
// names it runs there and its log reads back through `kubectl logs`, and after the runtime is
// killed with SIGKILL and started again the kubelet reconnects and re-creates the pod's sandbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventResource, NodeResource, RuntimeClassResource, type Pod } from '@kite/api-types';
import { kubectl, waitFor } from '@kite/testing';
import { pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

const SUBNET = 145;
const FIXTURE = fileURLToPath(new URL('./fixtures/echo-runtime.py', import.meta.url));

let c: KubeletCluster;
let dir: string;
let socket: string;
let runtime: ChildProcess;

async function startFixture(): Promise<ChildProcess> {
  const child = spawn('python3', [FIXTURE, socket], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitFor(() => existsSync(socket), { timeoutMs: 10_000, message: 'the echo runtime socket' });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function echoPod(name: string, args: string[], restartPolicy: 'Never' | 'Always'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: c.nodeName, runtimeClassName: 'echo', restartPolicy, containers: [{ name: 'main', image: 'echo:1', args }] },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-echo-runtime-'));
  socket = join(dir, 'echo.sock');
  runtime = await startFixture();
  c = await startKubeletCluster(SUBNET, ['--runtime-endpoint', `echo=unix://${socket}`]);
  await c.client.resource(RuntimeClassResource).create({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'echo' }, handler: 'echo' });
});
afterAll(async () => {
  await c?.stop();
  if (runtime) await killed(runtime);
  await rm(dir, { recursive: true, force: true });
});

it('the node offers the endpoint\'s handler beside its built-in runtimes', async () => {
  const node = await c.client.resource(NodeResource).get(c.nodeName);
  expect(node.metadata.labels?.['runtime.kite.dev/echo']).toBe('true');
  expect(node.metadata.labels?.['runtime.kite.dev/wasm']).toBe('true');
  expect(node.status?.runtimeHandlers?.map((h) => h.name).sort()).toEqual(['echo', 'wasm']);
});

it('runs a pod whose RuntimeClass names the handler, and kubectl logs reads what it wrote', async () => {
  await pods(c).create(echoPod('hello', ['hello', 'from', 'python'], 'Never'));
  const done = await waitForPod(c, 'hello', (p) => p.status?.phase === 'Succeeded', 20_000, 'Succeeded');
  expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  expect(done.status?.containerStatuses?.[0]?.imageID).toMatch(/^sha256:[0-9a-f]{64}$/);
  const logs = await kubectl({ kubeconfig: await c.apiserver.kubeconfig(), dir }, 'logs', 'hello');
  expect(logs.stderr).toBe('');
  expect(logs.stdout).toBe('hello from python\n');
});

it('after the runtime is killed and started again, the kubelet reconnects and re-creates the pod', async () => {
  await pods(c).create(echoPod('sleeper', ['sleep'], 'Always'));
  const before = await waitForPod(c, 'sleeper', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined, 20_000, 'running');
  const idBefore = before.status?.containerStatuses?.[0]?.containerID ?? '';
  expect(idBefore).toMatch(/^echo:\/\/[0-9a-f]{32}$/);
  await killed(runtime);
  runtime = await startFixture();
  const after = await waitForPod(c, 'sleeper', (p) => {
    const s = p.status?.containerStatuses?.[0];
    return s?.state?.running !== undefined && s.containerID !== idBefore;
  }, 20_000, 'running again in a new sandbox');
  expect(after.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
  const events = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=sleeper' });
  expect(events.items.map((e) => e.reason)).toContain('SandboxChanged');
});

it('a pod whose RuntimeClass names a handler this node does not offer fails with UnsupportedRuntime', async () => {
  await c.client.resource(RuntimeClassResource).create({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'elsewhere' }, handler: 'gvisor' });
  await pods(c).create({ ...echoPod('misplaced', ['x'], 'Never'), spec: { ...echoPod('misplaced', ['x'], 'Never').spec, runtimeClassName: 'elsewhere' } } as Pod);
  const failed = await waitForPod(c, 'misplaced', (p) => p.status?.phase === 'Failed', 20_000, 'Failed');
  expect(failed.status?.reason).toBe('UnsupportedRuntime');
  expect(failed.status?.message).toContain('gvisor');
});
