// The launcher's lifecycle: a cluster comes up with every node Ready and a working kubeconfig;
// a kubelet killed with -9 is restarted; Ctrl-C (SIGINT) leaves no process and no listening port;
// starting again keeps the cluster's objects.
import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { waitFor } from '@kite/testing';
import { launch, listening, processesMentioning, type LaunchedCluster } from './helpers.js';

let cluster: LaunchedCluster | undefined;
afterAll(async () => {
  await cluster?.proc.stop(20_000);
  if (cluster) await rm(cluster.stateDir, { recursive: true, force: true });
});

interface NodeList {
  items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
}

const readyNodes = async (api: string) => {
  const list = (await fetch(`${api}/api/v1/nodes`).then((r) => r.json())) as NodeList;
  return list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((n) => n.metadata.name);
};

it('starts, restarts a killed kubelet, stops cleanly on SIGINT, and keeps state across restarts', async () => {
  cluster = await launch({ slot: 231 });
  const c = cluster;
  expect(c.proc.output()).toMatch(/2\/2 nodes Ready/);
  expect((await readyNodes(c.api)).sort()).toEqual(['node-1', 'node-2']);

  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' }, data: { a: '1' } };
  const created = await fetch(`${c.api}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cm) });
  expect(created.status).toBe(201);

  // kill -9 one kubelet: the launcher says so and brings it back.
  const [kubelet] = processesMentioning(`node-name node-1 --node-ip ${c.nodeIps[0]}`);
  expect(kubelet).toBeDefined();
  process.kill(kubelet ?? 0, 'SIGKILL');
  await waitFor(() => /kubelet-node-1 exited \(SIGKILL\); restarting/.test(c.proc.output()), { timeoutMs: 10_000, message: 'the restart notice' });
  await waitFor(async () => processesMentioning(`node-name node-1 --node-ip ${c.nodeIps[0]}`).length === 1, { timeoutMs: 15_000, message: 'kubelet back' });

  // Ctrl-C: everything stops, no process or port is left.
  c.proc.child.kill('SIGINT');
  expect(await c.proc.exited).toBe(0);
  await waitFor(() => processesMentioning(c.stateDir).length === 0, { timeoutMs: 10_000, message: `no process left: ${processesMentioning(c.stateDir).join(',')}` });
  const port = Number(new URL(c.api).port);
  expect(await listening('127.0.0.1', port)).toBe(false);
  for (const ip of c.nodeIps) expect(await listening(ip, Number(c.args[c.args.indexOf('--kubelet-port') + 1]))).toBe(false);

  // Start again: the ConfigMap is still there.
  const arg = (name: string) => Number(c.args[c.args.indexOf(name) + 1]);
  const ports = { api: port, redis: arg('--redis-port'), kubelet: arg('--kubelet-port'), dns: arg('--dns-port') };
  cluster = await launch({ slot: 231, stateDir: c.stateDir, home: c.home, ports });
  const again = await fetch(`${cluster.api}/api/v1/namespaces/default/configmaps/kept`);
  expect(again.status).toBe(200);
  expect(((await again.json()) as { data: Record<string, string> }).data).toEqual({ a: '1' });
});
