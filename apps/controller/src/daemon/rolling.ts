// RollingUpdate of a DaemonSet (pure; table-tested): which old pods to delete and which nodes get
// a surge pod this round, so that at most maxUnavailable nodes lack an available daemon pod and
// at most maxSurge nodes run two. Kubernetes' rollingUpdate, in two modes:
//
// maxSurge 0 (delete, then the manage step recreates):
//   a node with no pod, or with both an old and a new one, counts as unavailable (manage is
//   fixing it); a node with only a new pod counts as unavailable until that pod is available;
//   a node with only an old pod is a candidate: an unavailable old pod is replaced at once (it
//   costs nothing), available ones only while the budget lasts.
//   Example: 4 nodes, maxUnavailable 1, all old and available → delete 1 old pod; the next rounds
//   wait until its replacement is available, then delete the next.
// maxSurge > 0 (create beside, then delete the old one):
//   a node with only an old pod gets a new pod beside it while surges are left (at once when the
//   old pod is unavailable); a node with both deletes the old pod once the new one is available,
//   and counts as a surge in progress until then.
//   Example: 3 nodes, maxSurge 1 → one node runs old+new; once new is available old goes, and the
//   next node surges.
// Budgets resolve against the desired number of nodes, percentages rounded up (as Kubernetes).
import { CONTROLLER_REVISION_HASH_LABEL, scaledValueFromIntOrPercent, type DaemonSet, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

type ReadonlyPod = DeepReadonly<Pod>;

export interface Budget {
  maxSurge: number;
  maxUnavailable: number;
}

/** The rolling-update budgets for `desired` nodes; 0/0 outside RollingUpdate. */
export function rollingBudget(ds: DeepReadonly<DaemonSet>, desired: number): Budget {
  const strategy = ds.spec?.updateStrategy;
  const ru = strategy?.rollingUpdate;
  if (strategy?.type === 'OnDelete' || !ru) return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = scaledValueFromIntOrPercent(ru.maxSurge, desired, true);
  const maxUnavailable = scaledValueFromIntOrPercent(ru.maxUnavailable, desired, true);
  // Validation forbids 0/0; an object stored before that rule still makes progress, one at a time.
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

/** The allowsSurge question of the manage step: a RollingUpdate with maxSurge above 0. */
export function allowsSurge(ds: DeepReadonly<DaemonSet>): boolean {
  return rollingBudget(ds, 1).maxSurge > 0;
}

export interface NodePods {
  node: string;
  newPod?: ReadonlyPod;
  oldPod?: ReadonlyPod;
}

/**
 * The new and old pod on a node (terminating ones ignored); undefined when the node has two of a
 * kind, which the manage step resolves first.
 */
export function splitByRevision(node: string, pods: readonly ReadonlyPod[], hash: string): NodePods | undefined {
  const out: NodePods = { node };
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const isNew = p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
    if (isNew ? out.newPod : out.oldPod) return undefined;
    if (isNew) out.newPod = p;
    else out.oldPod = p;
  }
  return out;
}

export interface RollingPlan {
  delete: ReadonlyPod[];
  /** Nodes that get a new pod beside their old one. */
  surgeOn: string[];
}

export type IsAvailable = (pod: ReadonlyPod) => boolean;

export function planRollingUpdate(nodes: readonly NodePods[], budget: Budget, isAvailable: IsAvailable): RollingPlan {
  return budget.maxSurge > 0 ? planSurge(nodes, budget.maxSurge, isAvailable) : planDeleteFirst(nodes, budget.maxUnavailable, isAvailable);
}

function planDeleteFirst(nodes: readonly NodePods[], maxUnavailable: number, isAvailable: IsAvailable): RollingPlan {
  let unavailable = 0;
  const replaceNow: ReadonlyPod[] = [];
  const candidates: ReadonlyPod[] = [];
  for (const n of nodes) {
    if (n.oldPod && !n.newPod) {
      // Only an old pod: an update candidate.
      if (!isAvailable(n.oldPod)) replaceNow.push(n.oldPod);
      else candidates.push(n.oldPod);
    } else if (!n.newPod || n.oldPod || !isAvailable(n.newPod)) {
      // No pod, both kinds (manage is fixing it), or a new pod not yet available.
      unavailable++;
    }
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return { delete: [...replaceNow, ...candidates.slice(0, room)], surgeOn: [] };
}

function planSurge(nodes: readonly NodePods[], maxSurge: number, isAvailable: IsAvailable): RollingPlan {
  const plan: RollingPlan = { delete: [], surgeOn: [] };
  let surging = 0;
  for (const n of nodes) {
    if (!n.oldPod || !n.newPod) continue;
    if (isAvailable(n.newPod)) plan.delete.push(n.oldPod);
    else surging++;
  }
  for (const n of nodes) {
    if (!n.oldPod || n.newPod) continue;
    if (!isAvailable(n.oldPod)) plan.surgeOn.push(n.node);
    else if (surging < maxSurge) {
      surging++;
      plan.surgeOn.push(n.node);
    }
  }
  return plan;
}
