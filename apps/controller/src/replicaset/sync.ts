// syncReplicaSet: one reconcile of one ReplicaSet key, in named steps:
//   look up the ReplicaSet → claim its pods (adopt orphans, release strays) → manage replicas
//   (only when earlier creates/deletes have all been observed) → write status → requeue when a
//   ready pod is about to become available (minReadySeconds).
// A create or delete failure (this sync's, or the last background create round's) is shown as
// the ReplicaFailure condition and thrown, so the runner retries with back-off.
// Reads come from the informer caches; the cached ReplicaSet is never modified (status is built
// on a copy).
import type { Pod, ReplicaSet } from '@kite/api-types';
import { mutableCopy, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { claimOwnedPods, selectorOrWarn } from '../framework/owned-pod-claims.js';
import { unpinned } from '../framework/owners.js';
import { isPodActive, type ReadonlyPod } from '../framework/pods.js';
import type { SyncResult } from '../framework/runner.js';
import { manageReplicas, type ManageContext, type ManageFailure } from './replicas.js';
import { computeStatus, nextAvailableIn, statusChanged } from './status.js';

export { REASON_INVALID_SELECTOR } from '../framework/owned-pod-claims.js';

export interface ReplicaSetSyncDeps extends ManageContext {
  replicaSetStore: Indexer<ReplicaSet>;
  podStore: Indexer<Pod>;
  replicaSets: ResourceClient<ReplicaSet>;
  pods: ResourceClient<Pod>;
  /** The outcome of the last create round that failed, until one succeeds. */
  lastFailure: (key: string) => ManageFailure | undefined;
  now: () => number;
}

export async function syncReplicaSet(deps: ReplicaSetSyncDeps, key: string): Promise<SyncResult | void> {
  const rs = deps.replicaSetStore.get(key);
  if (!rs) {
    deps.expectations.forget(key);
    return;
  }
  const selector = selectorOrWarn(deps.recorder, rs);
  if (!selector) return;
  const mayManage = deps.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
  const pods = await claimOwnedPods(deps, rs, selector);
  const failure = (mayManage ? await manageReplicas(deps, rs, pods.filter(isPodActive)) : undefined) ?? deps.lastFailure(key);
  await writeStatus(deps, rs, pods, failure);
  // Throwing makes the runner retry with back-off while creates or deletes keep failing.
  if (failure) throw failure.error;
  const next = nextAvailableIn(rs, pods, deps.now());
  return next === undefined ? undefined : { requeueAfterMs: next };
}

async function writeStatus(deps: ReplicaSetSyncDeps, rs: DeepReadonly<ReplicaSet>, pods: readonly ReadonlyPod[], failure: ManageFailure | undefined): Promise<void> {
  const status = computeStatus({ rs, pods, now: deps.now(), manageError: failure });
  if (!statusChanged(rs.status, status)) return;
  const copy = mutableCopy(rs);
  copy.status = status;
  await deps.replicaSets.updateStatus(unpinned(copy));
}
