// Acceptance: a real apiserver and redis-server, three nodes of different sizes, pods placed by
// the in-process scheduler. Nodes are proportional in cpu and memory, so balanced allocation is
// neutral and least-allocated decides: each pod goes where the used share after placing it is
// lowest, which keeps every node's used share within one pod's share of the smallest node.
import type { Node, Pod } from '@kite/api-types';
import { quantityMilliValue, quantityValue } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerApp } from '../../src/app.js';
import { createNode, createPod, listPods, podEvents, startCluster, startScheduler, waitAllBound, type Cluster } from '../helpers/cluster.js';

const SIZES = { small: { cpu: '2', memory: '4Gi' }, medium: { cpu: '4', memory: '8Gi' }, large: { cpu: '8', memory: '16Gi' } } as const;
const POD = { cpu: '250m', memory: '512Mi' };
const POD_COUNT = 30;

let c: Cluster;
let sched: SchedulerApp;

beforeAll(async () => {
  c = await startCluster();
  for (const [name, size] of Object.entries(SIZES)) await createNode(c, name, { ...size, pods: '110' });
  sched = await startScheduler(c);
});

afterAll(async () => {
  await sched?.stop();
  await c?.stop();
});

function usage(nodes: Node[], pods: Pod[]) {
  return nodes.map((n) => {
    const here = pods.filter((p) => p.spec?.nodeName === n.metadata.name);
    const sum = (r: 'cpu' | 'memory', parse: (q: string | number) => number) => here.reduce((s, p) => s + parse(p.spec?.containers[0]?.resources?.requests?.[r] ?? 0), 0);
    const alloc = n.status?.allocatable ?? {};
    return {
      name: n.metadata.name ?? '',
      pods: here.length,
      cpu: sum('cpu', quantityMilliValue),
      cpuAlloc: quantityMilliValue(alloc.cpu ?? 0),
      memory: sum('memory', quantityValue),
      memoryAlloc: quantityValue(alloc.memory ?? 0),
    };
  });
}

describe('placement on three nodes of different sizes', () => {
  it('binds 30 pods without over-committing, in proportion to node size', async () => {
    await Promise.all(Array.from({ length: POD_COUNT }, (_, i) => createPod(c, `p-${i}`, POD)));
    const pods = await waitAllBound(c, POD_COUNT);
    const nodes = (await c.nodes.list()).items;
    const u = usage(nodes, pods);
    for (const n of u) {
      expect(n.cpu).toBeLessThanOrEqual(n.cpuAlloc);
      expect(n.memory).toBeLessThanOrEqual(n.memoryAlloc);
    }
    // Least-allocated: used shares end within one pod's share of the smallest node (250m of 2 cores).
    const shares = u.map((n) => n.cpu / n.cpuAlloc);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(250 / 2000 + 1e-9);
    const byName = Object.fromEntries(u.map((n) => [n.name, n.pods]));
    expect(byName.small).toBeLessThan(byName.medium ?? 0);
    expect(byName.medium).toBeLessThan(byName.large ?? 0);
    // The placement is explained: one Scheduled event per pod, worded as Kubernetes words it.
    const events = await waitFor(async () => {
      const evs = await podEvents(c, 'p-0');
      return evs.length > 0 ? evs : undefined;
    });
    expect(events.map((e) => [e.reason, e.type, e.message, e.source?.component])).toEqual([
      ['Scheduled', 'Normal', `Successfully assigned default/p-0 to ${pods.find((p) => p.metadata.name === 'p-0')?.spec?.nodeName}`, 'default-scheduler'],
    ]);
  });

  it('fills the remaining capacity exactly and leaves the rest Pending with counted reasons', async () => {
    const before = usage((await c.nodes.list()).items, await listPods(c));
    const room = before.reduce((s, n) => s + Math.floor((n.cpuAlloc - n.cpu) / 1000), 0);
    const extra = 3;
    await Promise.all(Array.from({ length: room + extra }, (_, i) => createPod(c, `big-${i}`, { cpu: '1', memory: '64Mi' })));
    const pending = await waitFor(
      async () => {
        const bigs = (await listPods(c)).filter((p) => p.metadata.name?.startsWith('big-'));
        const unbound = bigs.filter((p) => !p.spec?.nodeName);
        const marked = unbound.filter((p) => p.status?.conditions?.some((x) => x.type === 'PodScheduled' && x.status === 'False'));
        return bigs.length - unbound.length === room && marked.length === extra ? marked : undefined;
      },
      { timeoutMs: 20_000, message: `${room} bound and ${extra} marked unschedulable` },
    );
    const cond = pending[0]?.status?.conditions?.find((x) => x.type === 'PodScheduled');
    expect([cond?.reason, cond?.message]).toEqual(['Unschedulable', '0/3 nodes are available: 3 Insufficient cpu.']);
    for (const n of usage((await c.nodes.list()).items, await listPods(c))) expect(n.cpu).toBeLessThanOrEqual(n.cpuAlloc);
  });
});
