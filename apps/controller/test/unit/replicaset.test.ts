// ReplicaSet logic without an apiserver: deletion ranking, status, and syncReplicaSet with a fake
// PodControl (the constructor seam) over real informer Stores.
import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '@kite/api-types';
import { NAMESPACE_INDEX, namespaceIndexFunc, objectKey, Store, type ResourceClient } from '@kite/client';
import { discardEvents } from '../../src/framework/events.js';
import { Expectations } from '../../src/framework/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../../src/framework/informers.js';
import type { PodControl } from '../../src/framework/pod-control.js';
import { rankForDeletion } from '../../src/replicaset/ranking.js';
import type { ManageFailure } from '../../src/replicaset/replicas.js';
import { computeStatus } from '../../src/replicaset/status.js';
import { syncReplicaSet, type ReplicaSetSyncDeps } from '../../src/replicaset/sync.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

interface PodOpts {
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown';
  readySince?: number;
  restarts?: number;
  created?: number;
  deleting?: boolean;
  owner?: string;
  labels?: Record<string, string>;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: o.labels ?? { app: 'web' },
      creationTimestamp: ago(o.created ?? 100),
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: o.owner, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'x' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }],
      containerStatuses: [{ name: 'app', restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('deletion ranking', () => {
  it.each([
    { name: 'unscheduled before scheduled', pods: [pod('a', { node: 'n1', readySince: 10 }), pod('b')], first: 'b' },
    { name: 'pending before running', pods: [pod('a', { node: 'n1', phase: 'Running' }), pod('b', { node: 'n1', phase: 'Pending' })], first: 'b' },
    { name: 'not ready before ready', pods: [pod('a', { node: 'n1', readySince: 5 }), pod('b', { node: 'n2' })], first: 'b' },
    { name: 'crowded node first', pods: [pod('a', { node: 'n1', readySince: 5 }), pod('b', { node: 'n2', readySince: 5 }), pod('c', { node: 'n2', readySince: 5 })], first: 'b' },
    { name: 'ready more recently first', pods: [pod('a', { node: 'n1', readySince: 50 }), pod('b', { node: 'n2', readySince: 5 })], first: 'b' },
    { name: 'more restarts first', pods: [pod('a', { node: 'n1', readySince: 5 }), pod('b', { node: 'n2', readySince: 5, restarts: 3 })], first: 'b' },
    { name: 'newer first', pods: [pod('a', { node: 'n1', readySince: 5, created: 60 }), pod('b', { node: 'n2', readySince: 5, created: 30 })], first: 'b' },
    { name: 'name breaks ties', pods: [pod('b', { node: 'n1', readySince: 5 }), pod('a', { node: 'n2', readySince: 5 })], first: 'a' },
  ])('$name', ({ pods, first }) => {
    expect(rankForDeletion(pods)[0]?.metadata.name).toBe(first);
  });

  it('orders the issue example: pending C, then B (ready 10:05), then A (ready 10:00)', () => {
    const pods = [pod('A', { node: 'n1', readySince: 3600 }), pod('B', { node: 'n2', readySince: 3300 }), pod('C', { node: 'n3', phase: 'Pending' })];
    expect(rankForDeletion(pods).map((p) => p.metadata.name)).toEqual(['C', 'B', 'A']);
  });
});

describe('ReplicaSet status', () => {
  const rs = (minReadySeconds = 0): ReplicaSet => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', generation: 4 },
    spec: { replicas: 3, minReadySeconds, selector: {}, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
  });
  it.each([
    { name: 'counts ready and available', minReady: 0, pods: [pod('a', { readySince: 1, labels: { app: 'web', tier: 'fe' } }), pod('b')], want: { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, terminatingReplicas: 0, observedGeneration: 4 } },
    { name: 'minReadySeconds holds availability back', minReady: 10, pods: [pod('a', { readySince: 5 }), pod('b', { readySince: 20 })], want: { replicas: 2, fullyLabeledReplicas: 0, readyReplicas: 2, availableReplicas: 1, terminatingReplicas: 0, observedGeneration: 4 } },
    { name: 'terminating pods are not replicas', minReady: 0, pods: [pod('a', { readySince: 5, deleting: true }), pod('b', { readySince: 5 })], want: { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 1, availableReplicas: 1, terminatingReplicas: 1, observedGeneration: 4 } },
  ])('$name', ({ minReady, pods, want }) => {
    expect(computeStatus({ rs: rs(minReady), pods, now: NOW })).toEqual(want);
  });

  it('reports a refused create as ReplicaFailure', () => {
    const s = computeStatus({ rs: rs(), pods: [], now: NOW, manageError: { reason: 'FailedCreate', message: 'quota' } });
    expect(s.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' });
  });
});

/** Pod control that records calls and never changes the cache (as if watch events lag). */
class FakePodControl implements PodControl {
  creates = 0;
  deletes: string[] = [];
  async createPod(_ns: string, p: Pod): Promise<Pod> {
    this.creates++;
    return { ...p, metadata: { ...p.metadata, name: `${p.metadata.generateName ?? ''}${this.creates}` } };
  }
  async deletePod(_ns: string, name: string): Promise<boolean> {
    this.deletes.push(name);
    return true;
  }
}

type TestDeps = ReplicaSetSyncDeps & { statuses: ReplicaSet[]; rounds: Promise<unknown>[]; failures: Map<string, ManageFailure> };

function syncDeps(rs: ReplicaSet, pods: Pod[], control: FakePodControl): TestDeps {
  const rsStore = new Store<ReplicaSet>();
  rsStore.upsert(rs);
  const podStore = new Store<Pod>();
  podStore.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
  podStore.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndexFunc);
  podStore.addIndexer(ORPHAN_INDEX, orphanIndexFunc);
  for (const p of pods) podStore.upsert(p);
  const statuses: ReplicaSet[] = [];
  const replicaSets = { updateStatus: async (x: ReplicaSet) => (statuses.push(x), x) } as unknown as ResourceClient<ReplicaSet>;
  const podClient = { patch: async () => ({}) } as unknown as ResourceClient<Pod>;
  const rounds: Promise<unknown>[] = [];
  const failures = new Map<string, ManageFailure>();
  const launch = (key: string, round: Promise<ManageFailure | undefined>) => {
    rounds.push(round.then((f) => (f ? failures.set(key, f) : failures.delete(key))));
  };
  return {
    replicaSetStore: rsStore,
    podStore,
    replicaSets,
    pods: podClient,
    podControl: control,
    expectations: new Expectations(),
    recorder: discardEvents,
    launch,
    warmBatch: new Map(),
    lastFailure: (key) => failures.get(key),
    now: () => NOW,
    statuses,
    rounds,
    failures,
  };
}

describe('syncReplicaSet', () => {
  const rs = (replicas: number): ReplicaSet => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 1, resourceVersion: '5' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
  });

  it('does not create twice while the cache has not caught up (expectations)', async () => {
    const control = new FakePodControl();
    const deps = syncDeps(rs(25), [], control);
    await syncReplicaSet(deps, 'ns/web');
    await syncReplicaSet(deps, 'ns/web');
    await Promise.all(deps.rounds);
    expect(control.creates).toBe(25);
    // 25 creates ran as 1, 2, 4, 8, 10: the next round starts at the proven 10, not at 1.
    expect(deps.warmBatch.get('ns/web')).toBe(10);
    for (let i = 0; i < 25; i++) deps.expectations.creationObserved('ns/web');
    await syncReplicaSet(deps, 'ns/web');
    await Promise.all(deps.rounds);
    expect(control.creates).toBe(50);
    // The second round ran as 10, 15.
    expect(deps.warmBatch.get('ns/web')).toBe(15);
  });

  it('reports a failed create round in status and retries with back-off (by throwing)', async () => {
    const control = new FakePodControl();
    control.createPod = async () => {
      throw new Error('quota exceeded');
    };
    const deps = syncDeps(rs(3), [], control);
    await syncReplicaSet(deps, 'ns/web');
    await Promise.all(deps.rounds);
    expect(deps.expectations.satisfied('ns/web')).toBe(true);
    await expect(syncReplicaSet(deps, 'ns/web')).rejects.toThrow('quota exceeded');
    expect(deps.statuses.at(-1)?.status?.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', reason: 'FailedCreate' });
    expect(deps.warmBatch.has('ns/web')).toBe(false);
  });

  it('deletes the lowest-ranked pods when scaling down, once', async () => {
    const control = new FakePodControl();
    const pods = [pod('ready', { node: 'n1', readySince: 50, owner: 'rs-uid' }), pod('pending', { node: 'n2', phase: 'Pending', owner: 'rs-uid' }), pod('unscheduled', { owner: 'rs-uid' })];
    const deps = syncDeps(rs(1), pods, control);
    await syncReplicaSet(deps, 'ns/web');
    await syncReplicaSet(deps, 'ns/web');
    expect(control.deletes.sort()).toEqual(['pending', 'unscheduled']);
    expect(deps.expectations.pending('ns/web')).toEqual({ creations: 0, deletions: 2 });
    deps.expectations.deletionObserved('ns/web', objectKey(pods[1] as Pod));
    deps.expectations.deletionObserved('ns/web', objectKey(pods[2] as Pod));
    expect(deps.expectations.satisfied('ns/web')).toBe(true);
  });

  it('writes status only when it changed', async () => {
    const control = new FakePodControl();
    const deps = syncDeps(rs(1), [pod('a', { node: 'n1', readySince: 5, owner: 'rs-uid' })], control);
    await syncReplicaSet(deps, 'ns/web');
    expect(deps.statuses).toHaveLength(1);
    expect(deps.statuses[0]?.status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });
});
