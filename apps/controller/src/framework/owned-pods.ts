// Pod informer events for a workload controller that owns pods (Kubernetes' addPod, updatePod and
// deletePod in the DaemonSet and StatefulSet controllers), in one place:
// - a pod with a controller reference to one of ours → that owner, after ticking off the matching
//   creation (pod added) or deletion (deletionTimestamp newly set, or pod gone) expectation;
// - an update changing nothing the sync reads (`state` equal before and after) → none;
// - a changed controller reference → the old owner too;
// - an orphan pod → every owner in its namespace whose selector matches it (one may adopt it).
import type { KubeObject, LabelSelector, Pod } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer, type InformerHandlers } from '@kite/client';
import type { Expectations } from './expectations.js';
import { resolveControllerRef } from './lookup.js';
import { controllerRefOf, forReading } from './owners.js';

type ReadonlyPod = DeepReadonly<Pod>;
type SelectingOwner = KubeObject & { spec?: { selector?: LabelSelector } };

export interface OwnedPodEventsOptions<O extends SelectingOwner> {
  /** The owner's kind, as controller references name it. */
  kind: string;
  owners: Indexer<O>;
  creations: Expectations;
  deletions: Expectations;
  enqueue(key: string): void;
  /** What of a pod the owner's sync reads; updates that leave it unchanged are dropped. */
  state?: (pod: ReadonlyPod) => string;
}

export function ownedPodHandlers<O extends SelectingOwner>(o: OwnedPodEventsOptions<O>): InformerHandlers<Pod> {
  const owner = (pod: ReadonlyPod) => resolveControllerRef(pod, o.kind, o.owners);
  const enqueueMatching = (pod: ReadonlyPod) => {
    for (const candidate of o.owners.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      try {
        if (selectorFromLabelSelector(forReading(candidate).spec?.selector).matches(pod.metadata.labels)) o.enqueue(objectKey(candidate));
      } catch {
        // An invalid selector matches nothing; its sync reports it.
      }
    }
  };
  const deleted = (pod: ReadonlyPod) => {
    const found = owner(pod);
    if (!found) return;
    o.deletions.deletionObserved(objectKey(found), objectKey(pod));
    o.enqueue(objectKey(found));
  };
  return {
    add: (pod) => {
      if (pod.metadata.deletionTimestamp) return deleted(pod);
      const found = owner(pod);
      if (found) {
        o.creations.creationObserved(objectKey(found));
        o.enqueue(objectKey(found));
      } else if (!controllerRefOf(pod)) {
        enqueueMatching(pod);
      }
    },
    update: (old, pod) => {
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return deleted(pod);
      if (o.state && old.metadata.resourceVersion !== pod.metadata.resourceVersion && o.state(old) === o.state(pod)) return;
      const oldOwner = owner(old);
      if (oldOwner && controllerRefOf(old)?.uid !== controllerRefOf(pod)?.uid) o.enqueue(objectKey(oldOwner));
      const found = owner(pod);
      if (found) o.enqueue(objectKey(found));
      else if (!controllerRefOf(pod)) enqueueMatching(pod);
    },
    delete: deleted,
  };
}
