// Recreate: stop every old pod before starting any new one (for apps that cannot run two
// versions side by side).
//
//   rolloutRecreate → scale every old ReplicaSet to 0 → wait until no old pod is left running
//                   (terminating ones included: they may still hold a port or a lock)
//                   → create the new ReplicaSet if needed → scale it to desired → history cleanup
// As with RollingUpdate, each sync takes one kind of step and returns; events bring it back.
import type { Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { CONTROLLER_UID_INDEX } from '../framework/informers.js';
import type { SyncResult } from '../framework/runner.js';
import { cleanupOldReplicaSets } from './cleanup.js';
import { desiredReplicas, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { syncRevision } from './newrs.js';
import { calculateStatus, isComplete, syncRolloutStatus } from './progress.js';
import { applyPlan, scaleReplicaSet } from './scale.js';
import { specReplicas } from './revisions.js';

export async function rolloutRecreate(deps: DeploymentDeps, deployment: ReadonlyDeployment, rss: readonly ReadonlyRS[]): Promise<SyncResult | void> {
  const first = await syncRevision(deps, deployment, rss, false);
  const { d, olds } = first;
  const all = first.newRS ? [first.newRS, ...olds] : [...olds];
  const activeOlds = olds.filter((rs) => specReplicas(rs) > 0);
  if (activeOlds.length > 0) {
    const scaled = await applyPlan(deps, d, olds, new Map(activeOlds.map((rs) => [rs.metadata.name ?? '', 0])));
    return syncRolloutStatus(deps, d, first.newRS, first.newRS ? [first.newRS, ...scaled] : scaled, first.hint);
  }
  if (oldPodsRunning(deps, olds)) return syncRolloutStatus(deps, d, first.newRS, all, first.hint);
  const created = first.newRS ? first : await syncRevision(deps, d, rss, { initialReplicas: () => desiredReplicas(d) });
  const newRS = created.newRS;
  if (!newRS) return syncRolloutStatus(deps, created.d, newRS, olds, created.hint);
  if (specReplicas(newRS) !== desiredReplicas(d)) {
    const scaled = await scaleReplicaSet(deps, created.d, newRS, desiredReplicas(d));
    return syncRolloutStatus(deps, created.d, scaled, [scaled, ...olds], created.hint);
  }
  if (isComplete(created.d, calculateStatus(created.d, newRS, [newRS, ...olds]))) await cleanupOldReplicaSets(deps, created.d, olds);
  return syncRolloutStatus(deps, created.d, newRS, [newRS, ...olds], created.hint);
}

/** Any pod of an old ReplicaSet that has not finished (Pending, Running, Unknown, or terminating). */
function oldPodsRunning(deps: DeploymentDeps, olds: readonly ReadonlyRS[]): boolean {
  const finished = (p: DeepReadonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  return olds.some((rs) => deps.podStore.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '').some((p) => !finished(p)));
}
