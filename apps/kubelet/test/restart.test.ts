// Kill -9 the kubelet and start it again: every pod comes back exactly once, on the same IP,
// serving; nothing runs twice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NodeResource } from '@kite/api-types';
import { waitFor, ADMIN } from '@kite/testing';
import { get, httpPod, isReady, pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

let c: KubeletCluster;
beforeAll(async () => {
  c = await startKubeletCluster(52);
});
afterAll(async () => c.stop());

it('a restarted kubelet neither duplicates nor loses running pods', async () => {
  const names = ['r-1', 'r-2', 'r-3'];
  for (const n of names) await pods(c).create(httpPod(c, n));
  const before = new Map<string, string>();
  const containerIds = new Map<string, string>();
  for (const n of names) {
    const p = await waitForPod(c, n, isReady, 15_000, 'Ready');
    before.set(n, p.status?.podIP ?? '');
    containerIds.set(n, p.status?.containerStatuses?.[0]?.containerID ?? '');
  }
  await c.kubelet.kill();
  // The pods live in the runtime daemon: they keep serving while the kubelet is down.
  for (const n of names) expect((await get(`http://${before.get(n) ?? ''}:8080/`))?.body).toContain(n);
  await c.restartKubelet();
  for (const n of names) {
    const ip = before.get(n) ?? '';
    await waitFor(async () => (await get(`http://${ip}:8080/`))?.body.includes(n), { timeoutMs: 15_000, message: `${n} serving again on ${ip}` });
    const p = await waitForPod(c, n, isReady, 15_000, 'Ready');
    expect(p.status?.podIP).toBe(ip);
    // The same container, adopted: not restarted, not started twice.
    expect(p.status?.containerStatuses?.[0]?.containerID).toBe(containerIds.get(n));
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  }
  const list = await pods(c).list({ namespace: 'default' });
  expect(list.items.map((p) => p.metadata.name).sort()).toEqual(names);
  // The kubelet's own metric counts each pod once.
  const adminFetch = await c.apiserver.fetcher(ADMIN);
  const metrics = await adminFetch(`https://${c.nodeIP}:${(c.kubelet.child.spawnargs[c.kubelet.child.spawnargs.indexOf('--port') + 1]) ?? ''}/metrics`).then((r) => r.text());
  expect(metrics).toMatch(/kubelet_running_pods\{[^}]*\} 3/);
});

it('a killed Wasm runtime daemon is started again and its pods are re-created, counting a restart', async () => {
  await pods(c).create(httpPod(c, 'survivor'));
  const before = await waitForPod(c, 'survivor', isReady, 15_000, 'Ready');
  const pid = Number(await readFile(join(c.rootDir, c.nodeName, 'runtime', 'wasm.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  const after = await waitForPod(c, 'survivor', (p) => isReady(p) && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000, 'Ready again after a restart');
  expect(after.status?.podIP).toBe(before.status?.podIP);
  await waitFor(async () => (await get(`http://${after.status?.podIP ?? ''}:8080/`))?.body.includes('survivor'), { timeoutMs: 10_000, message: 'serving again' });
});

it('a kubelet whose Node changes under it while it starts (cordon, labels) retries the 409 and comes up Ready', async () => {
  const nodes = c.client.resource(NodeResource);
  await c.kubelet.kill();
  const restartedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  // Others write the Node all the while: every read-modify-write of the kubelet's races them.
  let writing = true;
  let writes = 0;
  const hammer = (async () => {
    while (writing) {
      await nodes.patch(c.nodeName, { metadata: { labels: { 'example.com/writes': String(writes++) } }, spec: { unschedulable: writes % 2 === 0 } }, { type: 'merge' });
    }
  })();
  try {
    await c.restartKubelet();
    await waitFor(
      async () => {
        if (c.kubelet.child.exitCode !== null) throw new Error(`kubelet exited ${c.kubelet.child.exitCode}: ${c.kubelet.output().slice(-2000)}`);
        const ready = (await nodes.get(c.nodeName)).status?.conditions?.find((x) => x.type === 'Ready');
        return ready?.status === 'True' && new Date(ready.lastHeartbeatTime ?? 0) >= restartedAt;
      },
      { timeoutMs: 15_000, message: 'Ready posted by the restarted kubelet' },
    );
  } finally {
    writing = false;
    await hammer;
  }
  expect(writes).toBeGreaterThan(5);
  expect(c.kubelet.child.exitCode).toBeNull();
  await nodes.patch(c.nodeName, { spec: { unschedulable: false } }, { type: 'merge' });
});
