// The README walkthrough, step by step, with the real kubectl against a launched cluster,
// checking each step's outcome: pods on both nodes, the Service answering through the proxy,
// scaling, a rolling update and its undo, logs, describe with events, and a clean delete.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kubectl as runKubectl, repoRoot, waitFor, type KubectlResult } from '@kite/testing';
import { launch, type LaunchedCluster } from './helpers.js';

let c: LaunchedCluster;
const examples = join(repoRoot, 'examples', 'wasm-pods');
const deployment = join(examples, 'hello-http', 'deployment.yaml');
const service = join(examples, 'hello-http', 'service.yaml');
const batch = join(examples, 'batch', 'pod.yaml');
const batchWasmer = join(examples, 'batch', 'pod-wasmer.yaml');

async function k(...args: string[]): Promise<KubectlResult> {
  const r = await runKubectl({ kubeconfig: c.kubeconfig, dir: c.home }, ...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

async function jsonOf<T>(...args: string[]): Promise<T> {
  return JSON.parse((await k(...args, '-o', 'json')).stdout) as T;
}

interface PodList {
  items: Array<{ metadata: { name: string }; spec: { nodeName?: string; containers: Array<{ image: string }> }; status: { phase?: string } }>;
}

async function throughService(): Promise<string> {
  const svc = await jsonOf<{ spec: { clusterIP: string } }>('get', 'svc', 'hello-http');
  const res = await fetch(`http://${svc.spec.clusterIP}/`, { signal: AbortSignal.timeout(3000) });
  return res.ok ? res.text() : `HTTP ${res.status}`;
}

beforeAll(async () => {
  c = await launch({ slot: 232 });
}, 120_000);
afterAll(async () => {
  await c.proc.stop(20_000);
  await rm(c.stateDir, { recursive: true, force: true });
});

it('deploys, serves, scales, rolls out, rolls back, logs, describes and deletes', async () => {
  await k('apply', '-f', deployment, '-f', service);
  await k('rollout', 'status', 'deployment/hello-http', '--timeout=60s');
  const pods = await jsonOf<PodList>('get', 'pods', '-l', 'app=hello-http');
  expect(pods.items).toHaveLength(3);
  expect(new Set(pods.items.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2']));
  expect(pods.items.every((p) => p.status.phase === 'Running')).toBe(true);

  expect(await waitFor(async () => (await throughService().catch(() => '')).match(/hello from hello-http-\S+ version v1/)?.[0], { timeoutMs: 10_000, message: 'the Service to answer' })).toBeTruthy();

  await k('scale', 'deployment/hello-http', '--replicas=5');
  await k('rollout', 'status', 'deployment/hello-http', '--timeout=60s');
  const scaled = await jsonOf<{ status: { readyReplicas?: number } }>('get', 'deployment', 'hello-http');
  expect(scaled.status.readyReplicas).toBe(5);

  await k('set', 'image', 'deployment/hello-http', 'hello=hello-http/build/hello-http-v2.wasm');
  await k('rollout', 'status', 'deployment/hello-http', '--timeout=90s');
  await waitFor(async () => (await throughService().catch(() => '')).includes('version v2'), { timeoutMs: 10_000, message: 'v2 served' });
  const history = await k('rollout', 'history', 'deployment/hello-http');
  expect(history.stdout).toMatch(/REVISION/);

  await k('rollout', 'undo', 'deployment/hello-http');
  await k('rollout', 'status', 'deployment/hello-http', '--timeout=90s');
  const undone = await jsonOf<{ spec: { template: { spec: { containers: Array<{ image: string }> } } } }>('get', 'deployment', 'hello-http');
  expect(undone.spec.template.spec.containers[0]?.image).toBe('hello-http/build/hello-http-v1.wasm');
  await waitFor(async () => (await throughService().catch(() => '')).includes('version v1'), { timeoutMs: 10_000, message: 'v1 served again' });

  await k('apply', '-f', batch);
  await k('wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/batch', '--timeout=60s');
  expect((await k('logs', 'batch')).stdout).toContain('hello from a ConfigMap');
  // The same module on the wasmer plugin, whose RuntimeClass the launcher created.
  expect((await jsonOf<{ handler: string }>('get', 'runtimeclass', 'wasmer')).handler).toBe('wasmer');
  await k('apply', '-f', batchWasmer);
  await k('wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/batch-wasmer', '--timeout=60s');
  expect((await k('logs', 'batch-wasmer')).stdout).toContain('hello from a ConfigMap');

  const name = (await jsonOf<PodList>('get', 'pods', '-l', 'app=hello-http')).items[0]?.metadata.name ?? '';
  const described = (await k('describe', 'pod', name)).stdout;
  expect(described).toMatch(/Scheduled/);
  expect(described).toMatch(/Started/);

  await k('delete', '-f', deployment, '-f', service, '-f', batch, '-f', batchWasmer, '--ignore-not-found');
  await waitFor(async () => (await jsonOf<PodList>('get', 'pods')).items.length === 0, { timeoutMs: 30_000, message: 'every pod gone' });
  const left = await k('get', 'deployments,replicasets,pods,services', '-o', 'name');
  expect(left.stdout.split('\n').filter((l) => l && l !== 'service/kubernetes')).toEqual([]);
}, 300_000);
