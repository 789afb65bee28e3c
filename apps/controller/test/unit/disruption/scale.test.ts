// Table tests of expectedScale: each controller behind the pods counts once; unmanaged pods are
// reported; a pod whose controller no finder knows fails the computation.
import { describe, expect, it } from 'vitest';
import type { Pod } from '@kite/api-types';
import { expectedScale, type ScaleFinder } from '../../../src/disruption/scale.js';

function pod(name: string, owner?: { kind: string; name: string; uid: string }): Pod {
  const ownerReferences = owner ? [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] : undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', ...(ownerReferences ? { ownerReferences } : {}) } };
}

/** Two ReplicaSets of one Deployment (uid d, 3 replicas) and a StatefulSet (uid s, 2 replicas). */
const finder: ScaleFinder = async (ref) => {
  if (ref.kind === 'ReplicaSet') return { uid: 'd', replicas: 3 };
  if (ref.kind === 'StatefulSet') return { uid: 's', replicas: 2 };
  return undefined;
};
const rs1 = { kind: 'ReplicaSet', name: 'web-1', uid: 'rs1' };
const rs2 = { kind: 'ReplicaSet', name: 'web-2', uid: 'rs2' };
const sts = { kind: 'StatefulSet', name: 'db', uid: 'sts' };

describe('expectedScale', () => {
  it.each<{ name: string; pods: Pod[]; total: number; unmanaged: string[] }>([
    { name: 'one ReplicaSet, three pods: its Deployment once', pods: [pod('a', rs1), pod('b', rs1), pod('c', rs1)], total: 3, unmanaged: [] },
    { name: 'two ReplicaSets of one Deployment (a rollout): still once', pods: [pod('a', rs1), pod('b', rs2)], total: 3, unmanaged: [] },
    { name: 'a Deployment and a StatefulSet add up', pods: [pod('a', rs1), pod('b', sts)], total: 5, unmanaged: [] },
    { name: 'pods without a controller are reported, not counted', pods: [pod('a', rs1), pod('lonely')], total: 3, unmanaged: ['lonely'] },
    { name: 'no pods', pods: [], total: 0, unmanaged: [] },
  ])('$name', async ({ pods, total, unmanaged }) => {
    expect(await expectedScale(pods, [finder])).toEqual({ total, unmanaged });
  });

  it('fails for a pod whose controller no finder knows', async () => {
    await expect(expectedScale([pod('a', { kind: 'DaemonSet', name: 'ds', uid: 'ds' })], [finder])).rejects.toThrow('found no controllers for pod "a"');
  });
});
