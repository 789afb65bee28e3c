// A StatefulSet pod's identity and storage, the pure part (Kubernetes' stateful_set_utils.go;
// table-tested):
// - the pod of ordinal i is `SET-i`; its hostname is that name and its subdomain the governing
//   Service, so the cluster DNS answers `SET-i.SERVICE.NS.svc.<domain>`;
// - it carries the labels `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`
//   and `controller-revision-hash` (the revision it was made from);
// - each volumeClaimTemplate T gives it the claim `T-SET-i`, mounted as the volume named T (which
//   replaces a template volume of the same name); the claim outlives the pod, so the replacement
//   `SET-i` re-attaches to the same data.
import {
  CONTROLLER_REVISION_HASH_LABEL,
  POD_INDEX_LABEL,
  STATEFULSET_POD_NAME_LABEL,
  type PersistentVolumeClaim,
  type Pod,
  type PodTemplateSpec,
  type StatefulSet,
  type Volume,
} from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { newControllerRef } from '../framework/owners.js';

type ReadonlySet_ = DeepReadonly<StatefulSet>;
type ClaimTemplate = NonNullable<StatefulSet['spec']>['volumeClaimTemplates'] extends (infer T)[] | undefined ? T : never;

export const podName = (set: ReadonlySet_, ordinal: number): string => `${set.metadata.name ?? ''}-${ordinal}`;

/** The ordinal in a pod's name when the pod is `SET-N` of this set; undefined otherwise. */
export function ordinalOf(set: ReadonlySet_, pod: DeepReadonly<Pod>): number | undefined {
  const name = pod.metadata.name ?? '';
  const prefix = `${set.metadata.name ?? ''}-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** First ordinal (spec.ordinals.start) and the desired replica count. */
export function ordinalRange(set: ReadonlySet_): { start: number; replicas: number } {
  return { start: set.spec?.ordinals?.start ?? 0, replicas: set.spec?.replicas ?? 1 };
}

export const claimName = (template: DeepReadonly<ClaimTemplate>, set: ReadonlySet_, ordinal: number): string => `${template.metadata?.name ?? ''}-${podName(set, ordinal)}`;

/** The claims pod `ordinal` needs, as they are created when missing. */
export function podClaims(set: ReadonlySet_, ordinal: number): PersistentVolumeClaim[] {
  const selectorLabels = set.spec?.selector.matchLabels ?? {};
  const whenDeleted = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain';
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(t, set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...selectorLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      // whenDeleted: Delete → the garbage collector removes the claim with the set.
      ...(whenDeleted === 'Delete' ? { ownerReferences: [{ ...newControllerRef(set), controller: false, blockOwnerDeletion: true }] } : {}),
    },
    spec: structuredClone(t.spec ?? {}) as PersistentVolumeClaim['spec'],
  }));
}

/** The pod of `ordinal` from `template` (the revision's), owned by the set. */
export function newStatefulPod(set: ReadonlySet_, template: DeepReadonly<PodTemplateSpec>, ordinal: number, revisionHash: string): Pod {
  const t = structuredClone(template) as PodTemplateSpec;
  const name = podName(set, ordinal);
  const claimVolumes: Volume[] = (set.spec?.volumeClaimTemplates ?? []).map((c) => ({ name: c.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(c, set, ordinal) } }));
  const claimed = new Set(claimVolumes.map((v) => v.name));
  const spec = t.spec ?? { containers: [] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revisionHash },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      ownerReferences: [newControllerRef(set)],
    },
    spec: {
      ...spec,
      hostname: name,
      ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}),
      volumes: [...(spec.volumes ?? []).filter((v) => !claimed.has(v.name)), ...claimVolumes],
    },
  };
}

/** The revision a pod was made from. */
export const podRevision = (pod: DeepReadonly<Pod>): string | undefined => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
