// The scale of the controllers behind a budget's pods, the denominator of a percentage budget and
// of maxUnavailable (Kubernetes' getExpectedScale and its finders):
//   ReplicaSet owned by a Deployment → the Deployment's spec.replicas
//   ReplicaSet, StatefulSet          → its spec.replicas (from the informer caches)
//   any other kind                   → its `scale` subresource, found through discovery (a
//                                      ReplicationController, a custom resource), if its uid matches
// Each controller counts once however many of its pods the budget selects. Pods without a
// controller are left out and reported (the caller records the UnmanagedPods event); a pod whose
// controller cannot be found fails the computation ("found no controllers for pod").
import type { Deployment, Pod, ReplicaSet, StatefulSet } from '@kite/api-types';
import type { DeepReadonly, Indexer, KubeClient } from '@kite/client';
import { controllerRefOf, type ReadonlyOwnerRef } from '../framework/owners.js';
import type { ScaleMapper } from '../podautoscaler/rest-mapper.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** A controller's identity and the replicas it asks for. */
export interface ControllerScale {
  uid: string;
  replicas: number;
}

/** Looks up the controller a pod's controller reference names; undefined when it is not this finder's kind or is gone. */
export type ScaleFinder = (ref: ReadonlyOwnerRef, namespace: string) => Promise<ControllerScale | undefined>;

export interface ScaleSources {
  replicaSets: Indexer<ReplicaSet>;
  deployments: Indexer<Deployment>;
  statefulSets: Indexer<StatefulSet>;
  client: Pick<KubeClient, 'resource'>;
  mapper: Pick<ScaleMapper, 'resolve'>;
}

const APPS = 'apps/v1';
const isApps = (ref: ReadonlyOwnerRef) => ref.apiVersion.startsWith('apps/');

/** Kubernetes' finders, in its order. */
export function scaleFinders(s: ScaleSources): ScaleFinder[] {
  const cached = <T extends { metadata: { uid?: string }; spec?: { replicas?: number } }>(store: Indexer<T>, ns: string, ref: ReadonlyOwnerRef) => {
    const obj = store.get(`${ns}/${ref.name}`);
    return obj && obj.metadata.uid === ref.uid ? obj : undefined;
  };
  const replicaSet: ScaleFinder = async (ref, ns) => {
    if (ref.kind !== 'ReplicaSet' || !isApps(ref)) return undefined;
    const rs = cached(s.replicaSets, ns, ref);
    const owner = rs ? controllerRefOf(rs) : undefined;
    if (!rs || (owner?.kind === 'Deployment' && isApps(owner))) return undefined;
    return { uid: ref.uid, replicas: rs.spec?.replicas ?? 1 };
  };
  const deployment: ScaleFinder = async (ref, ns) => {
    if (ref.kind !== 'ReplicaSet' || !isApps(ref)) return undefined;
    const rs = cached(s.replicaSets, ns, ref);
    const owner = rs ? controllerRefOf(rs) : undefined;
    if (!owner || owner.kind !== 'Deployment' || !isApps(owner)) return undefined;
    const d = cached(s.deployments, ns, owner);
    return d ? { uid: owner.uid, replicas: d.spec?.replicas ?? 1 } : undefined;
  };
  const statefulSet: ScaleFinder = async (ref, ns) => {
    if (ref.kind !== 'StatefulSet' || !isApps(ref)) return undefined;
    const sts = cached(s.statefulSets, ns, ref);
    return sts ? { uid: ref.uid, replicas: sts.spec?.replicas ?? 1 } : undefined;
  };
  const anyScale: ScaleFinder = async (ref, ns) => {
    if (isApps(ref) && ['ReplicaSet', 'StatefulSet', 'Deployment'].includes(ref.kind) && ref.apiVersion === APPS) return undefined;
    const mapping = await s.mapper.resolve(ref.apiVersion, ref.kind);
    if (!mapping.hasScale) return undefined;
    const scale = await s.client.resource(mapping.resource).getScale(ref.name, { namespace: ns });
    return scale.metadata.uid === ref.uid ? { uid: ref.uid, replicas: scale.spec?.replicas ?? 0 } : undefined;
  };
  return [replicaSet, deployment, statefulSet, anyScale];
}

export interface ExpectedScale {
  /** Sum of the replicas of every controller behind the pods. */
  total: number;
  /** Names of the pods without a controller. */
  unmanaged: string[];
}

/** Sums the scale of the pods' controllers, each once. Throws when a pod's controller is not found. */
export async function expectedScale(pods: readonly ReadonlyPod[], finders: readonly ScaleFinder[]): Promise<ExpectedScale> {
  /** Replicas per controller uid (a Deployment behind several ReplicaSets counts once). */
  const replicas = new Map<string, number>();
  /** Pod controller uids already resolved. */
  const seen = new Set<string>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    if (seen.has(ref.uid)) continue;
    seen.add(ref.uid);
    let found: ControllerScale | undefined;
    for (const finder of finders) {
      found = await finder(ref, pod.metadata.namespace ?? '');
      if (found) break;
    }
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name ?? '')}`);
    replicas.set(found.uid, found.replicas);
  }
  let total = 0;
  for (const n of replicas.values()) total += n;
  return { total, unmanaged };
}
