// syncDeployment: one reconcile of one Deployment key — a dispatcher to named steps:
//
//   gone                    → nothing (the garbage collector removes its ReplicaSets)
//   selector selects all    → warning Event, no action (it would adopt every pod in the namespace)
//   being deleted           → status only
//   rollback annotation     → rollback (rollback.ts)
//   paused or resized       → scale only, no rollout (scale.ts), then status
//   otherwise               → rolloutRecreate or rolloutRolling by strategy
import { selectorFromLabelSelector, type Selector } from '@kite/apimachinery';
import { mutableCopy } from '@kite/client';
import { EVENT_WARNING } from '../framework/events.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX } from '../framework/informers.js';
import { claim, forReading, unpinned } from '../framework/owners.js';
import type { SyncResult } from '../framework/runner.js';
import { describe } from '../framework/runner.js';
import { REASON_SELECTING_ALL, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { syncRevision } from './newrs.js';
import { syncRolloutStatus } from './progress.js';
import { rolloutRecreate } from './recreate.js';
import { rollback, rollbackRequest } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, scaleForDeployment } from './scale.js';

export async function syncDeployment(deps: DeploymentDeps, key: string): Promise<SyncResult | void> {
  const d = deps.deploymentStore.get(key);
  if (!d) return;
  const selector = selectorOf(deps, d);
  if (!selector) return syncObservedGeneration(deps, d);
  const rss = await claimReplicaSets(deps, d, selector);
  if (d.metadata.deletionTimestamp) {
    const { newRS, olds } = await syncRevision(deps, d, rss, false);
    return syncRolloutStatus(deps, d, newRS, newRS ? [newRS, ...olds] : olds);
  }
  if (rollbackRequest(d) !== undefined) return rollback(deps, d, rss);
  if (d.spec?.paused || isScalingEvent(d, rss)) return syncScaleOnly(deps, d, rss);
  return d.spec?.strategy?.type === 'Recreate' ? rolloutRecreate(deps, d, rss) : rolloutRolling(deps, d, rss);
}

/** The selector, unless it is invalid or empty (which would select every pod): then undefined. */
function selectorOf(deps: DeploymentDeps, d: ReadonlyDeployment): Selector | undefined {
  try {
    const selector = selectorFromLabelSelector(forReading(d).spec?.selector);
    if (!selector.isEmpty()) return selector;
    deps.recorder.event(d, EVENT_WARNING, REASON_SELECTING_ALL, 'This deployment is selecting all pods. A non-empty selector is required.');
  } catch (err) {
    deps.recorder.event(d, EVENT_WARNING, REASON_SELECTING_ALL, `Invalid selector: ${describe(err)}`);
  }
  return undefined;
}

async function syncObservedGeneration(deps: DeploymentDeps, d: ReadonlyDeployment): Promise<void> {
  if (d.status?.observedGeneration === d.metadata.generation) return;
  const copy = mutableCopy(d);
  copy.status = { ...(copy.status ?? {}), observedGeneration: d.metadata.generation };
  await deps.deployments.updateStatus(unpinned(copy));
}

/** ReplicaSets this Deployment controls after adoption and release. */
async function claimReplicaSets(deps: DeploymentDeps, d: ReadonlyDeployment, selector: Selector): Promise<ReadonlyRS[]> {
  const owned = deps.replicaSetStore.byIndex(CONTROLLER_UID_INDEX, d.metadata.uid ?? '');
  const orphans = deps.replicaSetStore.byIndex(ORPHAN_INDEX, d.metadata.namespace ?? '');
  return claim<ReadonlyRS>({
    owner: d,
    selector,
    candidates: [...owned, ...orphans],
    patch: (namespace, name, body) => deps.replicaSets.patch(name, body, { type: 'merge', namespace }),
  });
}

/** Paused, or resized by `kubectl scale`: resize the ReplicaSets without rolling, then status. */
async function syncScaleOnly(deps: DeploymentDeps, deployment: ReadonlyDeployment, rss: readonly ReadonlyRS[]): Promise<SyncResult | void> {
  const { d, newRS, olds } = await syncRevision(deps, deployment, rss, false);
  const all = await scaleForDeployment(deps, d, newRS, olds);
  const written = newRS ? all.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
  return syncRolloutStatus(deps, d, written, all);
}
