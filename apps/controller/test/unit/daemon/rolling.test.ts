// Table tests of the DaemonSet rolling-update budget and rounds (src/daemon/rolling.ts) and of
// what one node needs (src/daemon/placement.ts).
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { planNode } from '../../../src/daemon/placement.js';
import { allowsSurge, planRollingUpdate, rollingBudget, splitByRevision, type NodePods } from '../../../src/daemon/rolling.js';

const NEW = 'new';
let seq = 0;
function pod(o: { hash?: string; available?: boolean; ready?: boolean; phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed'; deleting?: boolean; age?: number } = {}): Pod {
  const ready = o.ready ?? o.available ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `p${++seq}`,
      labels: { 'controller-revision-hash': o.hash ?? 'old' },
      creationTimestamp: new Date(1_000_000 - (o.age ?? 0) * 1000).toISOString(),
      ...(o.deleting ? { deletionTimestamp: new Date().toISOString() } : {}),
    },
    spec: { containers: [] },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}
const available = (p: DeepReadonly<Pod>) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const ds = (rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string }, type: 'RollingUpdate' | 'OnDelete' = 'RollingUpdate'): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'd' },
  spec: { selector: {}, template: {}, updateStrategy: { type, ...(rollingUpdate ? { rollingUpdate } : {}) } },
});
const nodes = (...specs: Array<[Pod | undefined, Pod | undefined]>): NodePods[] =>
  specs.map(([oldPod, newPod], i) => ({ node: `n${i}`, ...(oldPod ? { oldPod } : {}), ...(newPod ? { newPod } : {}) }));

describe('rollingBudget', () => {
  it.each([
    { name: 'defaults 1/0', ds: ds({ maxUnavailable: 1, maxSurge: 0 }), desired: 10, want: { maxSurge: 0, maxUnavailable: 1 } },
    { name: 'percent rounds up', ds: ds({ maxUnavailable: '25%', maxSurge: 0 }), desired: 5, want: { maxSurge: 0, maxUnavailable: 2 } },
    { name: 'surge percent rounds up', ds: ds({ maxUnavailable: 0, maxSurge: '10%' }), desired: 3, want: { maxSurge: 1, maxUnavailable: 0 } },
    { name: 'zero/zero makes progress', ds: ds({ maxUnavailable: '0%', maxSurge: 0 }), desired: 3, want: { maxSurge: 0, maxUnavailable: 1 } },
    { name: 'OnDelete has none', ds: ds(undefined, 'OnDelete'), desired: 3, want: { maxSurge: 0, maxUnavailable: 0 } },
  ])('$name', ({ ds: d, desired, want }) => {
    expect(rollingBudget(d, desired)).toEqual(want);
  });

  it.each([
    { ds: ds({ maxSurge: 1, maxUnavailable: 0 }), want: true },
    { ds: ds({ maxSurge: '1%', maxUnavailable: 0 }), want: true },
    { ds: ds({ maxSurge: 0, maxUnavailable: 1 }), want: false },
    { ds: ds(undefined, 'OnDelete'), want: false },
  ])('allowsSurge $ds.spec.updateStrategy', ({ ds: d, want }) => {
    expect(allowsSurge(d)).toBe(want);
  });
});

describe('planRollingUpdate without surge', () => {
  it.each([
    { name: '4 old available, budget 1 → delete 1', nodes: nodes([pod(), undefined], [pod(), undefined], [pod(), undefined], [pod(), undefined]), maxUnavailable: 1, want: 1 },
    { name: 'budget 2 → delete 2', nodes: nodes([pod(), undefined], [pod(), undefined], [pod(), undefined]), maxUnavailable: 2, want: 2 },
    { name: 'a new pod not yet available uses the budget', nodes: nodes([undefined, pod({ hash: NEW, available: false })], [pod(), undefined], [pod(), undefined]), maxUnavailable: 1, want: 0 },
    { name: 'an available new pod frees the budget', nodes: nodes([undefined, pod({ hash: NEW })], [pod(), undefined], [pod(), undefined]), maxUnavailable: 1, want: 1 },
    { name: 'a node with no pod counts as unavailable', nodes: nodes([undefined, undefined], [pod(), undefined]), maxUnavailable: 1, want: 0 },
    { name: 'unavailable old pods are replaced beyond the budget', nodes: nodes([pod({ available: false }), undefined], [pod({ available: false }), undefined], [pod(), undefined]), maxUnavailable: 1, want: 3 },
    { name: 'all updated → nothing', nodes: nodes([undefined, pod({ hash: NEW })], [undefined, pod({ hash: NEW })]), maxUnavailable: 1, want: 0 },
  ])('$name', ({ nodes: n, maxUnavailable, want }) => {
    const plan = planRollingUpdate(n, { maxSurge: 0, maxUnavailable }, available);
    expect(plan.delete).toHaveLength(want);
    expect(plan.surgeOn).toEqual([]);
  });
});

describe('planRollingUpdate with surge', () => {
  it.each([
    { name: '3 old, surge 1 → one node gets a new pod', nodes: nodes([pod(), undefined], [pod(), undefined], [pod(), undefined]), maxSurge: 1, want: { delete: 0, surge: 1 } },
    { name: 'surge in progress blocks another', nodes: nodes([pod(), pod({ hash: NEW, available: false })], [pod(), undefined]), maxSurge: 1, want: { delete: 0, surge: 0 } },
    { name: 'new available → old deleted, next surges', nodes: nodes([pod(), pod({ hash: NEW })], [pod(), undefined]), maxSurge: 1, want: { delete: 1, surge: 1 } },
    { name: 'unavailable old surges beyond the budget', nodes: nodes([pod({ available: false }), undefined], [pod({ available: false }), undefined]), maxSurge: 1, want: { delete: 0, surge: 2 } },
    { name: 'surge 2 of 4', nodes: nodes([pod(), undefined], [pod(), undefined], [pod(), undefined], [pod(), undefined]), maxSurge: 2, want: { delete: 0, surge: 2 } },
  ])('$name', ({ nodes: n, maxSurge, want }) => {
    const plan = planRollingUpdate(n, { maxSurge, maxUnavailable: 0 }, available);
    expect({ delete: plan.delete.length, surge: plan.surgeOn.length }).toEqual(want);
  });
});

describe('splitByRevision', () => {
  it.each([
    { name: 'old and new', pods: [pod(), pod({ hash: NEW })], want: { old: true, new: true } },
    { name: 'terminating ignored', pods: [pod({ deleting: true }), pod({ hash: NEW })], want: { old: false, new: true } },
    { name: 'two old → undefined', pods: [pod(), pod()], want: undefined },
  ])('$name', ({ pods, want }) => {
    const split = splitByRevision('n', pods, NEW);
    expect(split ? { old: split.oldPod !== undefined, new: split.newPod !== undefined } : undefined).toEqual(want);
  });
});

describe('planNode', () => {
  const fit = (shouldRun: boolean, shouldContinueRunning: boolean) => ({ shouldRun, shouldContinueRunning });
  it.each([
    { name: 'should run, none → create', fit: fit(true, true), pods: [], surge: false, want: { create: true, delete: 0, failed: 0 } },
    { name: 'terminating pod present → wait', fit: fit(true, true), pods: [pod({ deleting: true })], surge: false, want: { create: false, delete: 0, failed: 0 } },
    { name: 'one running → nothing', fit: fit(true, true), pods: [pod()], surge: false, want: { create: false, delete: 0, failed: 0 } },
    { name: 'two running → keep the oldest', fit: fit(true, true), pods: [pod({ age: 10 }), pod({ age: 1 })], surge: false, want: { create: false, delete: 1, failed: 0 } },
    { name: 'failed pod → back-off delete', fit: fit(true, true), pods: [pod({ phase: 'Failed' })], surge: false, want: { create: false, delete: 0, failed: 1 } },
    { name: 'succeeded pod → delete', fit: fit(true, true), pods: [pod({ phase: 'Succeeded' })], surge: false, want: { create: false, delete: 1, failed: 0 } },
    { name: 'must not run → delete all', fit: fit(false, false), pods: [pod(), pod(), pod({ deleting: true })], surge: false, want: { create: false, delete: 2, failed: 0 } },
    { name: 'NoSchedule only → keep', fit: fit(false, true), pods: [pod()], surge: false, want: { create: false, delete: 0, failed: 0 } },
    { name: 'surge: old ready + new not available → keep both', fit: fit(true, true), pods: [pod({ age: 10 }), pod({ hash: NEW, available: false })], surge: true, want: { create: false, delete: 0, failed: 0 } },
    { name: 'surge: new available → old goes', fit: fit(true, true), pods: [pod({ age: 10 }), pod({ hash: NEW })], surge: true, want: { create: false, delete: 1, failed: 0 } },
    { name: 'surge: old not ready → old goes', fit: fit(true, true), pods: [pod({ age: 10, ready: false }), pod({ hash: NEW, available: false })], surge: true, want: { create: false, delete: 1, failed: 0 } },
    { name: 'surge: only a terminating pod → create', fit: fit(true, true), pods: [pod({ deleting: true })], surge: true, want: { create: true, delete: 0, failed: 0 } },
  ])('$name', ({ fit: f, pods, surge, want }) => {
    const plan = planNode({ fit: f, pods, hash: NEW, allowsSurge: surge, minReadySeconds: 0, now: Date.now() });
    expect({ create: plan.create, delete: plan.delete.length, failed: plan.failed.length }).toEqual(want);
  });
});
