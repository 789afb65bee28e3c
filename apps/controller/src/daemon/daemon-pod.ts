// The pod a DaemonSet runs on one node, and the node a pod is meant for.
//
// Since Kubernetes 1.12 the DaemonSet controller does not bind pods itself: it pins each pod to
// its node with a required node affinity term `matchFields metadata.name In [NODE]` (replacing
// the template's required terms, which the controller has already checked against the node) and
// lets the default scheduler bind it, so resources, ports and preemption are checked as for any
// pod. Until the scheduler has bound it, that term is how the controller knows the pod's node.
// Each pod also carries the `controller-revision-hash` label of the revision it was made from,
// and the default DaemonSet tolerations (tolerations.ts).
import { CONTROLLER_REVISION_HASH_LABEL, type Affinity, type DaemonSet, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { newControllerRef } from '../framework/owners.js';
import { podFromTemplate } from '../framework/pod-control.js';
import { NODE_NAME_FIELD } from './node-fit.js';
import { withDaemonTolerations } from './tolerations.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** The affinity with its required node terms replaced by "this node only"; preferred terms kept. */
export function pinToNode(affinity: DeepReadonly<Affinity> | undefined, nodeName: string): Affinity {
  const copy = structuredClone((affinity ?? {}) as Affinity);
  const nodeAffinity = (copy.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }],
  };
  return copy;
}

/** A new pod of the DaemonSet for `nodeName`, of the revision with hash `hash`. */
export function newDaemonPod(ds: DeepReadonly<DaemonSet>, nodeName: string, hash: string): Pod {
  const namespace = ds.metadata.namespace ?? '';
  const pod = podFromTemplate(ds.spec?.template, ds.metadata.name ?? '', namespace, newControllerRef(ds));
  pod.metadata.labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash };
  const spec = withDaemonTolerations(pod.spec);
  spec.affinity = pinToNode(spec.affinity, nodeName);
  pod.spec = spec;
  return pod;
}

/**
 * The node a daemon pod belongs to: spec.nodeName once bound, else the single node its required
 * affinity pins it to (Kubernetes' GetTargetNodeName); undefined for a pod pinned nowhere.
 */
export function targetNodeName(pod: ReadonlyPod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === NODE_NAME_FIELD && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
