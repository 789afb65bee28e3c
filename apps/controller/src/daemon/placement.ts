// What one node needs from its DaemonSet (pure; table-tested): Kubernetes' podsShouldBeOnNode.
//
//   should run, no pod (not even a terminating one)  → create one
//   may keep running                                 → failed pods go (the caller applies the
//                                                      back-off), succeeded pods go; of the rest
//                                                      without surge all but the oldest go; with
//                                                      surge one old and one new may coexist
//                                                      while the new one is not yet available
//   may not keep running                             → every pod there goes
// A terminating pod is counted as present (so no replacement is made until it is gone) but never
// deleted again.
import { CONTROLLER_REVISION_HASH_LABEL, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { creationTime, isPodAvailable, isPodReady } from '../framework/pods.js';
import type { NodeFit } from './node-fit.js';

type ReadonlyPod = DeepReadonly<Pod>;

export interface NodePlan {
  create: boolean;
  /** Pods to delete now. */
  delete: ReadonlyPod[];
  /** Failed pods to delete, subject to the failed-pod back-off. */
  failed: ReadonlyPod[];
}

export interface PlacementInput {
  fit: NodeFit;
  /** The daemon pods targeting this node. */
  pods: readonly ReadonlyPod[];
  hash: string;
  allowsSurge: boolean;
  minReadySeconds: number;
  now: number;
}

/** Oldest first; among equals, the one further along (Running before Pending). */
export function byAge(a: ReadonlyPod, b: ReadonlyPod): number {
  const d = creationTime(a) - creationTime(b);
  if (d !== 0) return d;
  const rank = (p: ReadonlyPod) => (p.status?.phase === 'Running' ? 0 : p.status?.phase === 'Pending' ? 1 : 2);
  return rank(a) - rank(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

export function planNode(input: PlacementInput): NodePlan {
  const { fit, pods } = input;
  const plan: NodePlan = { create: false, delete: [], failed: [] };
  if (fit.shouldRun && pods.length === 0) {
    plan.create = true;
    return plan;
  }
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  if (!fit.shouldContinueRunning) {
    plan.delete.push(...live);
    return plan;
  }
  const running: ReadonlyPod[] = [];
  for (const p of live) {
    if (p.status?.phase === 'Failed') plan.failed.push(p);
    else if (p.status?.phase === 'Succeeded') plan.delete.push(p);
    else running.push(p);
  }
  running.sort(byAge);
  if (!input.allowsSurge) {
    plan.delete.push(...running.slice(1));
    return plan;
  }
  // Surging: a node left without a running pod gets one at once, beside any still going.
  if (running.length === 0) {
    plan.create = fit.shouldRun;
    return plan;
  }
  if (running.length > 1) plan.delete.push(...pruneSurge(running, input));
  return plan;
}

/**
 * With surge: keep the oldest new pod and the oldest old pod; delete the rest, and the old one
 * too once it is not ready or the new one is available.
 */
function pruneSurge(running: readonly ReadonlyPod[], input: PlacementInput): ReadonlyPod[] {
  const out: ReadonlyPod[] = [];
  let oldestNew: ReadonlyPod | undefined;
  let oldestOld: ReadonlyPod | undefined;
  for (const p of running) {
    const isNew = p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === input.hash;
    if (isNew && !oldestNew) oldestNew = p;
    else if (!isNew && !oldestOld) oldestOld = p;
    else out.push(p);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, input.minReadySeconds, input.now))) out.push(oldestOld);
  return out;
}
