// Scaling ReplicaSets for a Deployment: one ReplicaSet at a time (`scaleReplicaSet`), and the
// whole set when the Deployment itself was resized (`scaleForDeployment`, Kubernetes' `scale`).
//
// Every scale is a PUT of the cached ReplicaSet with its resourceVersion: if the cache was stale
// (our previous scale not yet seen) the apiserver answers 409 and the sync is retried on fresh
// data, instead of scaling twice from the same stale numbers.
import { mutableCopy } from '@kite/client';
import { EVENT_NORMAL } from '../framework/events.js';
import { countsOf, desiredReplicas, REASON_SCALING_REPLICA_SET, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { planProportionalScale, resolveBudget, type RSCounts } from './math.js';
import { activeReplicaSets, byCreation, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, replicasAnnotationsOutdated, specReplicas } from './revisions.js';

/** Sets `rs` to `replicas` and records the Deployment's size on it; returns the written ReplicaSet. */
export async function scaleReplicaSet(deps: DeploymentDeps, d: ReadonlyDeployment, rs: ReadonlyRS, replicas: number): Promise<ReadonlyRS> {
  const desired = desiredReplicas(d);
  const maxReplicas = desired + resolveBudget(d.spec?.strategy, desired).surge;
  const from = specReplicas(rs);
  if (from === replicas && !replicasAnnotationsOutdated(rs, desired, maxReplicas)) return rs;
  const copy = mutableCopy(rs);
  copy.spec = { ...(copy.spec ?? { selector: {} }), replicas };
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(maxReplicas) };
  const written = await deps.replicaSets.update(copy);
  if (from !== replicas) {
    const direction = replicas > from ? 'up' : 'down';
    deps.recorder.event(d, EVENT_NORMAL, REASON_SCALING_REPLICA_SET, `Scaled ${direction} replica set ${rs.metadata.name ?? ''} from ${from} to ${replicas}`);
  }
  return written;
}

/** Applies a plan of sizes by name; returns every ReplicaSet with the written ones replaced. */
export async function applyPlan(deps: DeploymentDeps, d: ReadonlyDeployment, rss: readonly ReadonlyRS[], plan: ReadonlyMap<string, number>): Promise<ReadonlyRS[]> {
  return Promise.all(rss.map((rs) => (plan.has(rs.metadata.name ?? '') ? scaleReplicaSet(deps, d, rs, plan.get(rs.metadata.name ?? '') ?? 0) : rs)));
}

/** The new ReplicaSet is at full size and fully available: the old ones can all go. */
function isSaturated(d: ReadonlyDeployment, newRS: ReadonlyRS | undefined): boolean {
  if (!newRS) return false;
  const desired = desiredReplicas(d);
  return specReplicas(newRS) === desired && (newRS.status?.availableReplicas ?? 0) >= desired;
}

/** Any active ReplicaSet sized for another Deployment size: `kubectl scale` happened. */
export function isScalingEvent(d: ReadonlyDeployment, rss: readonly ReadonlyRS[]): boolean {
  const desired = String(desiredReplicas(d));
  return rss.some((rs) => specReplicas(rs) > 0 && rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] !== undefined && rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION] !== desired);
}

/**
 * Resizes the ReplicaSets after the Deployment's replicas changed (or while it is paused):
 * - one active ReplicaSet (or none: the newest) takes the whole new size;
 * - a saturated new ReplicaSet means every old one goes to 0;
 * - otherwise (RollingUpdate mid-rollout) the change is spread proportionally (math.ts).
 * Returns every ReplicaSet with the written ones replaced.
 */
export async function scaleForDeployment(deps: DeploymentDeps, d: ReadonlyDeployment, newRS: ReadonlyRS | undefined, olds: readonly ReadonlyRS[]): Promise<ReadonlyRS[]> {
  const all = newRS ? [newRS, ...olds] : [...olds];
  const active = activeReplicaSets(all).filter((rs) => specReplicas(rs) > 0);
  const desired = desiredReplicas(d);
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? [...olds].sort(byCreation).at(-1);
    return target ? applyPlan(deps, d, all, new Map([[target.metadata.name ?? '', desired]])) : all;
  }
  if (isSaturated(d, newRS)) {
    return applyPlan(deps, d, all, new Map(olds.filter((rs) => specReplicas(rs) > 0).map((rs) => [rs.metadata.name ?? '', 0])));
  }
  if (d.spec?.strategy?.type === 'Recreate') return all;
  const counts: RSCounts[] = active.map((rs) => countsOf(deps, rs));
  const steps = planProportionalScale(desired, resolveBudget(d.spec?.strategy, desired), counts);
  const plan = new Map(active.map((rs) => [rs.metadata.name ?? '', specReplicas(rs)]));
  for (const s of steps) plan.set(s.name, s.replicas);
  return applyPlan(deps, d, all, plan);
}
