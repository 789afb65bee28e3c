// FitError: why no node could take a pod, and the message Kubernetes users know from
// `kubectl describe pod`:
//
//   0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu.
//
// Each reason of each rejected node is counted once per node; the "COUNT reason" strings are
// sorted as plain strings (so "1 node(s)…" sorts before "2 Insufficient cpu", and "10 …" before
// "2 …"), joined with ", ", and the message ends with a period — Kubernetes 1.32's format. When a
// PreFilter rejected the pod for every node, its message stands alone instead of the counts.
// kite has no preemption, so the " preemption: …" suffix Kubernetes adds when its DefaultPreemption
// plugin is enabled never appears (as in Kubernetes with preemption disabled).
import type { Status } from './status.js';

/** The message when the cluster has no node at all, as Kubernetes words it. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export class FitError extends Error {
  override readonly name = 'FitError';

  constructor(
    readonly numAllNodes: number,
    /** Rejection status per node name (nodes never examined have none). */
    readonly nodeStatuses: ReadonlyMap<string, Status>,
    /** A PreFilter rejection that applied to every node. */
    readonly preFilterStatus?: Status,
  ) {
    super(fitMessage(numAllNodes, nodeStatuses, preFilterStatus));
  }

  /** The plugins that rejected the pod somewhere: the queue retries it when one of them may now agree. */
  unschedulablePlugins(): Set<string> {
    const out = new Set<string>();
    if (this.preFilterStatus?.plugin) out.add(this.preFilterStatus.plugin);
    for (const s of this.nodeStatuses.values()) if (s.plugin) out.add(s.plugin);
    return out;
  }
}

export function fitMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>, preFilter?: Status): string {
  if (numAllNodes === 0) return NO_NODES_AVAILABLE;
  const head = `0/${numAllNodes} nodes are available:`;
  if (preFilter) return `${head} ${preFilter.message()}.`;
  const counts = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (counts.size === 0) return `${head}`;
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `${head} ${parts.join(', ')}.`;
}
