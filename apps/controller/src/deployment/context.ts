// What every step of a Deployment sync needs: the caches it reads, the clients it writes with,
// the recorder and the clock — passed as one object so the steps stay small functions.
import type { Deployment, Pod, ReplicaSet } from '@kite/api-types';
import type { DeepReadonly, Indexer, ResourceClient } from '@kite/client';
import type { Recorder } from '../framework/events.js';
import { CONTROLLER_UID_INDEX } from '../framework/informers.js';
import { creationTime, isPodActive } from '../framework/pods.js';
import type { RSCounts } from './math.js';

export interface DeploymentDeps {
  deploymentStore: Indexer<Deployment>;
  replicaSetStore: Indexer<ReplicaSet>;
  podStore: Indexer<Pod>;
  deployments: ResourceClient<Deployment>;
  replicaSets: ResourceClient<ReplicaSet>;
  recorder: Recorder;
  now: () => number;
}

export type ReadonlyDeployment = DeepReadonly<Deployment>;
export type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** Events the Deployment controller records. */
export const REASON_SCALING_REPLICA_SET = 'ScalingReplicaSet';
export const REASON_SELECTING_ALL = 'SelectingAll';
export const REASON_DEPLOYMENT_ROLLBACK = 'DeploymentRollback';
export const REASON_ROLLBACK_REVISION_NOT_FOUND = 'DeploymentRollbackRevisionNotFound';
export const REASON_ROLLBACK_TEMPLATE_UNCHANGED = 'DeploymentRollbackTemplateUnchanged';

/** The counts the rolling-update math works on, for one ReplicaSet. */
export function countsOf(deps: DeploymentDeps, rs: ReadonlyRS): RSCounts {
  const pods = deps.podStore.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '').filter(isPodActive).length;
  return {
    name: rs.metadata.name ?? '',
    replicas: rs.spec?.replicas ?? 0,
    pods,
    available: rs.status?.availableReplicas ?? 0,
    created: creationTime(rs),
  };
}

export function desiredReplicas(d: ReadonlyDeployment): number {
  return d.spec?.replicas ?? 1;
}
