// Pods that run to completion: a finished pod gives its IP back (a pod CIDR of 6 addresses runs
// 12 batch pods), and a finished pod is never run again, even by a kubelet that restarted and
// lost its runtime's state.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigMapResource, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { stopDaemon } from '../src/runtime/remote/daemon.js';
import { batchPod as batchPodOf, pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

const SUBNET = 142;
/** A /29 whose usable addresses are .2 to .7: six pod IPs. */
const SMALL_CIDR = `127.64.${SUBNET}.0/29`;

let c: KubeletCluster;
let dataDir: string;
beforeAll(async () => {
  c = await startKubeletCluster(SUBNET, ['--pod-cidr', SMALL_CIDR]);
  dataDir = await mkdtemp(join(tmpdir(), 'kite-finished-'));
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: 'default' }, data: { 'config.txt': 'greeting=hi\n' } });
});
afterAll(async () => {
  await c.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The batch example; with `appendTo` it adds its name to a file in a host directory each run. */
function batchPod(name: string, appendTo?: string): Pod {
  if (!appendTo) return batchPodOf(c, name, ['--config', '/config/config.txt'], 'batch-config');
  return batchPodOf(c, name, ['--config', '/config/config.txt', '--append', `/data/${appendTo}`], 'batch-config', { mounts: [{ name: 'data', mountPath: '/data' }], volumes: [{ name: 'data', hostPath: { path: dataDir } }] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const succeeded = (p: Pod) => p.status?.phase === 'Succeeded';

it('finished pods give their IPs back: twice as many batch pods as the pod CIDR holds all succeed', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `batch-${i}`);
  await Promise.all(names.map((n) => pods(c).create(batchPod(n))));
  const done = await Promise.all(names.map((n) => waitForPod(c, n, succeeded, 60_000, 'Succeeded')));
  for (const p of done) expect(p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  // Every IP came from the small range; some were handed out twice, one pod after another.
  const ips = done.map((p) => p.status?.podIP ?? '');
  for (const ip of ips) expect(ip).toMatch(new RegExp(`^127\\.64\\.${SUBNET}\\.[2-7]$`));
  expect(new Set(ips).size).toBeLessThan(ips.length);
});

it('a finished pod is not run again by a kubelet restarted without its runtime state', async () => {
  await pods(c).create(batchPod('once', 'once.log'));
  const before = await waitForPod(c, 'once', succeeded, 30_000, 'Succeeded');
  expect(await readFile(join(dataDir, 'once.log'), 'utf8')).toBe('once\n');
  // Kubelet and Wasm runtime daemon both gone: nothing of the pod is left on the node.
  await c.kubelet.kill();
  const daemonPid = Number(await readFile(join(c.rootDir, c.nodeName, 'runtime', 'wasm.pid'), 'utf8'));
  stopDaemon(join(c.rootDir, c.nodeName), 'wasm');
  await waitFor(() => !alive(daemonPid), { timeoutMs: 10_000, message: 'Wasm runtime daemon exited' });
  await c.restartKubelet();
  // A pod created after the restart finishing shows the kubelet has synced every pod since.
  await pods(c).create(batchPod('after', 'after.log'));
  await waitForPod(c, 'after', succeeded, 30_000, 'Succeeded');
  const again = await pods(c).get('once', { namespace: 'default' });
  expect(again.status?.phase).toBe('Succeeded');
  expect(again.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt).toBe(before.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt);
  expect(await readFile(join(dataDir, 'once.log'), 'utf8')).toBe('once\n');
});
