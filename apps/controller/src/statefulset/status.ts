// StatefulSet status from its pods (pure; table-tested), as Kubernetes counts it:
//   replicas           pods created (terminating ones included)
//   readyReplicas      pods Ready; availableReplicas: Ready for minReadySeconds
//   currentReplicas    live pods at the current revision; updatedReplicas: at the update revision
//   currentRevision    the revision the set is rolling from; it becomes the update revision once
//                      a RollingUpdate has every pod updated and Ready (completeRollingUpdate)
//   observedGeneration the generation this status describes
// collisionCount and conditions are carried over.
import type { StatefulSet, StatefulSetStatus } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodAvailable, isPodReady, isPodTerminating, type ReadonlyPod } from '../framework/pods.js';
import { podRevision } from './identity.js';

export interface StatusInput {
  set: DeepReadonly<StatefulSet>;
  pods: readonly ReadonlyPod[];
  currentRevision: string;
  updateRevision: string;
  now: number;
}

export function computeStatus({ set, pods, currentRevision, updateRevision, now }: StatusInput): StatefulSetStatus {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation ?? 0,
    replicas: pods.length,
    readyReplicas: pods.filter((p) => isPodReady(p)).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
    currentReplicas: pods.filter((p) => !isPodTerminating(p) && podRevision(p) === currentRevision).length,
    updatedReplicas: pods.filter((p) => !isPodTerminating(p) && podRevision(p) === updateRevision).length,
    currentRevision,
    updateRevision,
  };
  const rolling = set.spec?.updateStrategy?.type !== 'OnDelete';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = updateRevision;
  }
  if (set.status?.collisionCount !== undefined) status.collisionCount = set.status.collisionCount;
  if (set.status?.conditions) status.conditions = structuredClone(set.status.conditions) as StatefulSetStatus['conditions'];
  return status;
}
