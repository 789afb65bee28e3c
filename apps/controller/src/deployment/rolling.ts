// RollingUpdate: move replicas from the old ReplicaSets to the new one within the budget —
// never more than desired + maxSurge pods, never fewer than desired − maxUnavailable available.
//
//   rolloutRolling → syncRevision (find or create the new RS)
//                  → reconcileNewReplicaSet (scale it up within the surge budget)   — or, if
//                    nothing to do there,
//                  → reconcileOldReplicaSets (scale old ones down within the availability budget)
//                  → cleanup of history once complete → syncRolloutStatus
// One kind of step per sync: the writes of a step change the caches, the resulting events bring
// the Deployment back, and the next step is computed from what actually happened.
// Worked example (math.ts has the numbers): 10 replicas, 25%/25% → surge 3, unavailable 2.
//   sync 1: new RS 0 → 3 (13 pods)      sync 2: old RS 10 → 8 (minAvailable 8)
//   sync 3 (old pods gone): new 3 → 5   sync 4 (3 new available): old 8 → 5   … until old is 0.
import type { SyncResult } from '../framework/runner.js';
import { cleanupOldReplicaSets } from './cleanup.js';
import { countsOf, desiredReplicas, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { newReplicaSetSize, planOldScaleDown, resolveBudget } from './math.js';
import { syncRevision } from './newrs.js';
import { calculateStatus, isComplete, syncRolloutStatus } from './progress.js';
import { applyPlan, scaleReplicaSet } from './scale.js';
import { specReplicas } from './revisions.js';

export async function rolloutRolling(deps: DeploymentDeps, deployment: ReadonlyDeployment, rss: readonly ReadonlyRS[]): Promise<SyncResult | void> {
  const initialReplicas = (olds: ReadonlyRS[]) => {
    const desired = desiredReplicas(deployment);
    const counts = olds.map((rs) => countsOf(deps, rs));
    return newReplicaSetSize(desired, resolveBudget(deployment.spec?.strategy, desired), { name: '', replicas: 0, pods: 0, available: 0, created: 0 }, counts);
  };
  const { d, newRS, olds, hint } = await syncRevision(deps, deployment, rss, { initialReplicas });
  if (!newRS) return syncRolloutStatus(deps, d, newRS, olds, hint);
  const scaledNew = await reconcileNewReplicaSet(deps, d, newRS, olds);
  if (scaledNew !== newRS) return syncRolloutStatus(deps, d, scaledNew, [scaledNew, ...olds], hint);
  const scaledOlds = await reconcileOldReplicaSets(deps, d, newRS, olds);
  const all = [newRS, ...scaledOlds];
  if (scaledOlds.some((rs, i) => rs !== olds[i])) return syncRolloutStatus(deps, d, newRS, all, hint);
  if (isComplete(d, calculateStatus(d, newRS, all))) await cleanupOldReplicaSets(deps, d, scaledOlds);
  return syncRolloutStatus(deps, d, newRS, all, hint);
}

/** Scales the new ReplicaSet towards desired within the surge budget; returns it (as written). */
async function reconcileNewReplicaSet(deps: DeploymentDeps, d: ReadonlyDeployment, newRS: ReadonlyRS, olds: readonly ReadonlyRS[]): Promise<ReadonlyRS> {
  const desired = desiredReplicas(d);
  const counts = countsOf(deps, newRS);
  const all = [counts, ...olds.map((rs) => countsOf(deps, rs))];
  const target = newReplicaSetSize(desired, resolveBudget(d.spec?.strategy, desired), counts, all);
  return target === specReplicas(newRS) ? newRS : scaleReplicaSet(deps, d, newRS, target);
}

/** Scales old ReplicaSets down within the availability budget; returns them (as written). */
async function reconcileOldReplicaSets(deps: DeploymentDeps, d: ReadonlyDeployment, newRS: ReadonlyRS, olds: readonly ReadonlyRS[]): Promise<ReadonlyRS[]> {
  const desired = desiredReplicas(d);
  const steps = planOldScaleDown(desired, resolveBudget(d.spec?.strategy, desired), countsOf(deps, newRS), olds.map((rs) => countsOf(deps, rs)));
  if (steps.length === 0) return [...olds];
  return applyPlan(deps, d, olds, new Map(steps.map((s) => [s.name, s.replicas])));
}
