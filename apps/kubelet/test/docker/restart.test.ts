// Kill -9 the kubelet while Docker pods run: the engine keeps them running; the restarted kubelet
// adopts the same containers (same ids, no duplicates, no restarts), picks up their logs where
// it left off, removes the containers of a pod deleted meanwhile, and deleting a pod afterwards
// removes its containers and its sandbox.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { get, isReady, pods, waitForPod } from '../helpers.js';
import { dockerPod, engineContainers, startDockerCluster, type DockerCluster } from './support.js';

let c: DockerCluster;
beforeAll(async () => {
  c = await startDockerCluster(64);
});
afterAll(async () => c.stop());

const ns = { namespace: 'default' };
const names = ['keep-1', 'keep-2', 'gone'];
// Serves its name and counts in its log, so gaps or repeats across the restart would show.
const script = (name: string) => `mkdir -p /www && echo ${name} > /www/index.html && httpd -p 8080 -h /www && i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done`;
const ids = (p: Pod) => (p.status?.containerStatuses ?? []).map((s) => s.containerID);

it('a restarted kubelet adopts running Docker pods; deleting a pod then removes its containers and sandbox', async () => {
  for (const n of names) await pods(c).create(dockerPod(c, n, [{ name: 'main', command: ['sh', '-c', script(n)], ports: [{ containerPort: 8080 }] }]));
  const before = new Map<string, Pod>();
  for (const n of names) before.set(n, await waitForPod(c, n, isReady, 30_000, 'Ready'));
  const engineBefore = (await engineContainers(c)).map((x) => x.Id).sort();
  expect(engineBefore).toHaveLength(names.length * 2);

  const goneUid = before.get('gone')?.metadata.uid;
  const goneIds = (await engineContainers(c, goneUid)).map((x) => x.Id);
  await c.kubelet.kill();
  // The engine runs the pods without the kubelet; one pod is deleted for good meanwhile.
  for (const n of names) expect((await get(`http://${before.get(n)?.status?.podIP ?? ''}:8080/`))?.body).toContain(n);
  await pods(c).delete('gone', { ...ns, gracePeriodSeconds: 0 });
  await c.restartKubelet();

  await waitFor(async () => (await engineContainers(c, goneUid)).length === 0, { timeoutMs: 15_000, message: 'containers of the deleted pod removed' });
  for (const n of ['keep-1', 'keep-2']) {
    const old = before.get(n);
    const p = await waitForPod(c, n, (x) => isReady(x) && x.status?.startTime === old?.status?.startTime, 20_000, 'Ready');
    expect(ids(p)).toEqual(ids(old ?? p));
    expect(p.status?.podIP).toBe(old?.status?.podIP);
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  }
  // Exactly the containers of the two pods that stayed: none added, none lost.
  const engineAfter = (await engineContainers(c)).map((x) => x.Id).sort();
  expect(engineAfter).toEqual(engineBefore.filter((id) => !goneIds.includes(id)));

  // The log runs on without gaps or repeats across the kubelet's absence.
  const log = await waitFor(async () => {
    const text = await c.client.podLogs('default', 'keep-1');
    return (text.match(/tick \d+/g) ?? []).length > 20 ? text : undefined;
  }, { timeoutMs: 15_000, message: 'ticks in the log' });
  const ticks = (log.match(/tick (\d+)/g) ?? []).map((t) => Number(t.slice(5)));
  expect(ticks).toEqual(ticks.map((_, i) => i + 1));

  const keep1 = before.get('keep-1');
  await pods(c).delete('keep-1', ns);
  await waitFor(async () => !(await pods(c).get('keep-1', ns).catch(() => undefined)), { timeoutMs: 15_000, message: 'keep-1 deleted' });
  expect(await engineContainers(c, keep1?.metadata.uid)).toHaveLength(0);
  expect(await engineContainers(c, before.get('keep-2')?.metadata.uid)).toHaveLength(2);
});
