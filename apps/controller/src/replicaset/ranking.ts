// Which pods a ReplicaSet deletes first when it scales down: the ones whose loss hurts least.
//
// Order (earlier rule wins; "first" = deleted first):
//   1. not scheduled to a node (costs nothing to remove) before scheduled;
//   2. phase Pending, then Unknown, then Running (a pod that never started serves no one);
//   3. not ready before ready;
//   4. on a node crowded with this owner's pods before on a node with fewer (spreads the rest);
//   5. ready more recently before ready for longer (the veterans have proved themselves);
//   6. more container restarts before fewer (flaky pods go first);
//   7. newer before older (by creationTimestamp);
//   8. by name, so the choice is deterministic.
// Example: 3 pods — A running+ready since 10:00, B running+ready since 10:05, C pending →
// delete C, then B, then A.
import type { ReadonlyPod } from '../framework/pods.js';
import { creationTime, isPodReady, podReadySince, podRestarts } from '../framework/pods.js';

/** Phase order for rule 2: lower goes first. */
const PHASE_RANK: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };
/** A phase missing from PHASE_RANK (none yet: a brand-new pod) ranks with Pending. */
const DEFAULT_PHASE_RANK = 0;

type Rule = (a: ReadonlyPod, b: ReadonlyPod, colocated: ReadonlyMap<string, number>) => number;

const byNumber = (x: number, y: number): number => (x === y ? 0 : x < y ? -1 : 1);
const phaseRank = (p: ReadonlyPod): number => PHASE_RANK[p.status?.phase ?? ''] ?? DEFAULT_PHASE_RANK;

const RULES: readonly Rule[] = [
  (a, b) => byNumber(a.spec?.nodeName ? 1 : 0, b.spec?.nodeName ? 1 : 0),
  (a, b) => byNumber(phaseRank(a), phaseRank(b)),
  (a, b) => byNumber(isPodReady(a) ? 1 : 0, isPodReady(b) ? 1 : 0),
  (a, b, colocated) => byNumber(colocated.get(b.spec?.nodeName ?? '') ?? 0, colocated.get(a.spec?.nodeName ?? '') ?? 0),
  (a, b) => {
    const ra = podReadySince(a);
    const rb = podReadySince(b);
    return ra === undefined || rb === undefined ? 0 : byNumber(rb, ra);
  },
  (a, b) => byNumber(podRestarts(b), podRestarts(a)),
  (a, b) => byNumber(creationTime(b), creationTime(a)),
  (a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
];

/** Active pods per node among `pods` (rule 4's crowding measure). */
export function podsPerNode(pods: readonly ReadonlyPod[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (node) out.set(node, (out.get(node) ?? 0) + 1);
  }
  return out;
}

/** `pods` ordered so that the ones to delete first come first; the input is not changed. */
export function rankForDeletion(pods: readonly ReadonlyPod[], colocated: ReadonlyMap<string, number> = podsPerNode(pods)): ReadonlyPod[] {
  return [...pods].sort((a, b) => {
    for (const rule of RULES) {
      const c = rule(a, b, colocated);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** The `count` pods to delete when scaling down. */
export function podsToDelete(pods: readonly ReadonlyPod[], count: number): ReadonlyPod[] {
  return rankForDeletion(pods).slice(0, Math.max(0, count));
}
