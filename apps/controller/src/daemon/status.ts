// DaemonSet status from its nodes and pods (pure; table-tested), as Kubernetes counts it:
//   desiredNumberScheduled  nodes that should run the pod
//   currentNumberScheduled  of those, nodes with at least one daemon pod
//   numberMisscheduled      nodes with a daemon pod that should not run it
//   numberReady             desired nodes whose oldest pod is Ready
//   numberAvailable         ... and ready for minReadySeconds
//   updatedNumberScheduled  desired nodes whose oldest pod is of the current revision
//   numberUnavailable       desired - available
//   observedGeneration      the generation this status describes
// collisionCount and conditions are carried over.
import { CONTROLLER_REVISION_HASH_LABEL, type DaemonSet, type DaemonSetStatus, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodAvailable, isPodReady } from '../framework/pods.js';
import type { NodeFit } from './node-fit.js';
import { byAge } from './placement.js';

type ReadonlyPod = DeepReadonly<Pod>;

export interface StatusInput {
  ds: DeepReadonly<DaemonSet>;
  /** The fit of every node in the cluster, by node name. */
  fits: ReadonlyMap<string, NodeFit>;
  podsByNode: ReadonlyMap<string, readonly ReadonlyPod[]>;
  hash: string;
  now: number;
}

export function computeStatus({ ds, fits, podsByNode, hash, now }: StatusInput): DaemonSetStatus {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const [node, fit] of fits) {
    const pods = [...(podsByNode.get(node) ?? [])].sort(byAge);
    const oldest = pods[0];
    if (!fit.shouldRun) {
      if (oldest) misscheduled++;
      continue;
    }
    desired++;
    if (!oldest) continue;
    current++;
    if (isPodReady(oldest)) ready++;
    if (isPodAvailable(oldest, minReady, now)) available++;
    if (oldest.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) updated++;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 0,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions) status.conditions = structuredClone(ds.status.conditions) as DaemonSetStatus['conditions'];
  return status;
}
