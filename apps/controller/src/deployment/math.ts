// The rolling-update arithmetic, as pure functions of counts (table-tested in math.test.ts).
//
// Vocabulary: `desired` = deployment.spec.replicas; `surge` = maxSurge resolved (rounded up);
// `unavailable` = maxUnavailable resolved (rounded down). Each ReplicaSet is seen as
//   replicas  — its spec.replicas (what it has been told to run),
//   pods      — active pods of it in the cache (what actually exists right now),
//   available — its status.availableReplicas.
//
// Two guards make the invariants hold at every instant, not only once controllers settle:
// - Surge counts max(replicas, pods) per ReplicaSet: after an old ReplicaSet is told 5 → 3, its
//   two extra pods live until the ReplicaSet controller deletes them; counting them keeps the new
//   ReplicaSet from surging into room that is not free yet.
// - Availability counts min(replicas, available): a status written before a scale-down may still
//   count pods that are being deleted right now.
import type { DeploymentStrategy } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export interface RSCounts {
  /** Identifies the ReplicaSet in a plan (its name). */
  name: string;
  replicas: number;
  pods: number;
  available: number;
  /** Creation time (epoch ms), for oldest-first scale-down. */
  created: number;
}

export interface Budget {
  surge: number;
  unavailable: number;
}

/** A planned scale: set ReplicaSet `name` to `replicas`. */
export interface ScaleStep {
  name: string;
  replicas: number;
}

const PERCENT = /^(\d+)%$/;

/** An int-or-percent resolved against `total`: '25%' of 10 is 3 rounded up, 2 rounded down. */
export function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = PERCENT.exec(value);
  if (!m) return Number.isInteger(Number(value)) ? Number(value) : 0;
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge and maxUnavailable of a RollingUpdate, resolved against `desired`. Both zero would
 * deadlock the rollout, so unavailable becomes 1 then (as Kubernetes does). Recreate has no
 * budget: {0, 0}.
 * Example: 10 replicas, 25%/25% → surge 3 (2.5 up), unavailable 2 (2.5 down).
 */
export function resolveBudget(strategy: DeepReadonly<DeploymentStrategy> | undefined, desired: number): Budget {
  if (strategy?.type === 'Recreate') return { surge: 0, unavailable: 0 };
  const ru = strategy?.rollingUpdate;
  const surge = resolveIntOrPercent(ru?.maxSurge ?? '25%', desired, true);
  let unavailable = resolveIntOrPercent(ru?.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, desired) };
}

const sum = (xs: readonly RSCounts[], f: (r: RSCounts) => number): number => xs.reduce((n, r) => n + f(r), 0);
/** Pods a ReplicaSet occupies for the surge budget. */
export const occupied = (r: RSCounts): number => Math.max(r.replicas, r.pods);
/** Pods of a ReplicaSet that may be counted on as available. */
export const dependable = (r: RSCounts): number => Math.max(0, Math.min(r.replicas, r.available));

/**
 * The new ReplicaSet's next size under RollingUpdate.
 * Example: desired 10, surge 3; old RS 10 replicas (10 pods), new RS 0 → room = 13 − 10 = 3,
 * so the new RS goes to 3. Next round, old scaled to 8 but still has 10 pods: 13 − (10 + 3) = 0,
 * wait. Once old is down to 8 pods: 13 − 11 = 2 → new RS 5. Never above desired (10).
 */
export function newReplicaSetSize(desired: number, budget: Budget, newRS: RSCounts, all: readonly RSCounts[]): number {
  if (newRS.replicas >= desired) return desired;
  const room = desired + budget.surge - sum(all, occupied);
  if (room <= 0) return newRS.replicas;
  return newRS.replicas + Math.min(room, desired - newRS.replicas);
}

const oldestFirst = (rss: readonly RSCounts[]): RSCounts[] => [...rss].sort((a, b) => a.created - b.created || a.name.localeCompare(b.name));

/**
 * Scale-down of old ReplicaSets under RollingUpdate, in two passes:
 * 1. Unhealthy replicas (replicas − available) of old ReplicaSets go first, within
 *    maxScaledDown = Σreplicas − minAvailable − unavailable-in-new: removing them costs no
 *    availability, and it unblocks a rollout whose old pods never became ready.
 * 2. Then healthy ones, only while Σavailable stays ≥ minAvailable = desired − unavailable.
 * Example: desired 10, unavailable 2 (minAvailable 8); old RS 10 replicas all available, new RS
 * 3 replicas with 0 available: pass 1 has no unhealthy old pods; pass 2 may drop 10 − 8 = 2 →
 * old RS 8. When the 3 new pods are available: Σavailable = 8 + 3 = 11 → drop 3 more → old 5.
 */
export function planOldScaleDown(desired: number, budget: Budget, newRS: RSCounts | undefined, olds: readonly RSCounts[]): ScaleStep[] {
  if (sum(olds, (r) => r.replicas) === 0) return [];
  const all = newRS ? [newRS, ...olds] : [...olds];
  const minAvailable = desired - budget.unavailable;
  const newUnavailable = newRS ? Math.max(0, newRS.replicas - dependable(newRS)) : 0;
  const maxScaledDown = sum(all, (r) => r.replicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const next = new Map(olds.map((r) => [r.name, { ...r }]));
  let cleaned = 0;
  for (const r of oldestFirst(olds)) {
    const cur = next.get(r.name);
    if (!cur || cleaned >= maxScaledDown) break;
    const unhealthy = cur.replicas - dependable(cur);
    if (unhealthy <= 0) continue;
    const step = Math.min(unhealthy, maxScaledDown - cleaned);
    cur.replicas -= step;
    cleaned += step;
  }
  let budgetLeft = sum([...(newRS ? [newRS] : []), ...next.values()], dependable) - minAvailable;
  for (const r of oldestFirst([...next.values()])) {
    if (budgetLeft <= 0) break;
    const step = Math.min(r.replicas, budgetLeft);
    r.replicas -= step;
    budgetLeft -= step;
  }
  return olds.filter((r) => next.get(r.name)?.replicas !== r.replicas).map((r) => ({ name: r.name, replicas: next.get(r.name)?.replicas ?? r.replicas }));
}

/**
 * Proportional scaling: the Deployment was resized mid-rollout, so spread the change over the
 * active ReplicaSets in proportion to their size, keeping the total at desired + surge. Shares
 * are truncated; what truncation leaves over goes to the largest ReplicaSets (the newer one of two
 * equal ones when growing, the older when shrinking).
 * Example: 10 → 15 replicas (surge 25% of 15 → 4) while old has 8 and new 5: the target total is
 * 19, so 6 more: old 8·6/13 = 3.7 → 3, new 5·6/13 = 2.3 → 2, leftover 1 to old → old 12, new 7.
 */
export function planProportionalScale(desired: number, budget: Budget, active: readonly RSCounts[]): ScaleStep[] {
  const current = sum(active, (r) => r.replicas);
  const target = desired + budget.surge;
  const delta = target - current;
  if (delta === 0 || current === 0) return [];
  const bySize = [...active].sort((a, b) => b.replicas - a.replicas || (delta > 0 ? b.created - a.created : a.created - b.created));
  const shares = new Map<string, number>();
  let given = 0;
  for (const r of bySize) {
    const share = Math.trunc((r.replicas * delta) / current);
    shares.set(r.name, share);
    given += share;
  }
  let rest = delta - given;
  for (const r of bySize) {
    if (rest === 0) break;
    const s = shares.get(r.name) ?? 0;
    if (delta < 0 && r.replicas + s <= 0) continue;
    shares.set(r.name, s + Math.sign(rest));
    rest -= Math.sign(rest);
  }
  return active
    .map((r) => ({ name: r.name, replicas: Math.max(0, r.replicas + (shares.get(r.name) ?? 0)) }))
    .filter((s, i) => s.replicas !== active[i]?.replicas);
}
