// syncReplicaSet: one reconcile of one ReplicaSet key, in named steps:
//   look up the ReplicaSet → claim its pods (adopt orphans, release strays) → manage replicas
//   (only when earlier creates/deletes have all been observed) → write status → requeue when a
//   ready pod is about to become available (minReadySeconds).
// A create or delete failure (this sync's, or the last background create round's) is shown as
// the ReplicaFailure condition and thrown, so the runner retries with back-off.
// Reads come from the informer caches; the cached ReplicaSet is never modified (status is built
// on a copy).
import type { Pod, ReplicaSet } from '@kite/api-types';
import { selectorFromLabelSelector, type Selector } from '@kite/apimachinery';
import { mutableCopy, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { EVENT_WARNING } from '../framework/events.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX } from '../framework/informers.js';
import { claim, forReading, unpinned } from '../framework/owners.js';
import { isPodActive, type ReadonlyPod } from '../framework/pods.js';
import type { SyncResult } from '../framework/runner.js';
import { describe } from '../framework/runner.js';
import { manageReplicas, type ManageContext, type ManageFailure } from './replicas.js';
import { computeStatus, nextAvailableIn, statusChanged } from './status.js';

export const REASON_INVALID_SELECTOR = 'InvalidSelector';

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
  const selector = selectorOf(deps, rs);
  if (!selector) return;
  const mayManage = deps.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
  const pods = await claimPods(deps, rs, selector);
  const failure = (mayManage ? await manageReplicas(deps, rs, pods.filter(isPodActive)) : undefined) ?? deps.lastFailure(key);
  await writeStatus(deps, rs, pods, failure);
  // Throwing makes the runner retry with back-off while creates or deletes keep failing.
  if (failure) throw failure.error;
  const next = nextAvailableIn(rs, pods, deps.now());
  return next === undefined ? undefined : { requeueAfterMs: next };
}

/** The ReplicaSet's selector; an invalid one is reported once per sync and not retried. */
function selectorOf(deps: ReplicaSetSyncDeps, rs: DeepReadonly<ReplicaSet>): Selector | undefined {
  try {
    return selectorFromLabelSelector(forReading(rs).spec?.selector);
  } catch (err) {
    deps.recorder.event(rs, EVENT_WARNING, REASON_INVALID_SELECTOR, `Invalid selector: ${describe(err)}`);
    return undefined;
  }
}

/** Pods this ReplicaSet controls after adoption and release. */
async function claimPods(deps: ReplicaSetSyncDeps, rs: DeepReadonly<ReplicaSet>, selector: Selector): Promise<ReadonlyPod[]> {
  const owned = deps.podStore.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '');
  const orphans = deps.podStore.byIndex(ORPHAN_INDEX, rs.metadata.namespace ?? '');
  return claim({
    owner: rs,
    selector,
    candidates: [...owned, ...orphans],
    patch: (namespace, name, body) => deps.pods.patch(name, body, { type: 'merge', namespace }),
  });
}

async function writeStatus(deps: ReplicaSetSyncDeps, rs: DeepReadonly<ReplicaSet>, pods: readonly ReadonlyPod[], failure: ManageFailure | undefined): Promise<void> {
  const status = computeStatus({ rs, pods, now: deps.now(), manageError: failure });
  if (!statusChanged(rs.status, status)) return;
  const copy = mutableCopy(rs);
  copy.status = status;
  await deps.replicaSets.updateStatus(unpinned(copy));
}
