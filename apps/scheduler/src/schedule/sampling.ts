// How many feasible nodes to find before scoring. In a large cluster, filtering and scoring every
// node for every pod costs far more than it gains: any of the first few hundred feasible nodes is
// nearly as good as the best of all. So the scheduler stops filtering once it has found
//   max(MIN_FEASIBLE_NODES_TO_FIND, numAllNodes × percentage / 100)
// feasible nodes, where percentage is --percentage-of-nodes-to-score or, when that is 0, an
// adaptive value: 50% falling by one point per 125 nodes, never below 5%.
// Worked examples (adaptive): 100 nodes → 50% → 50; 1,000 → 42% → 420; 5,000 → 10% → 500;
// 10,000 → 5% → 500. Clusters smaller than MIN_FEASIBLE_NODES_TO_FIND are always filtered whole.
// The next pod resumes where this one stopped (a rotating start index), so every node gets its
// turn.

/**
 * The fewest feasible nodes worth scoring. Kubernetes uses 100; kite's specification asks for 50,
 * which makes the adaptive curve hold exactly at 100 nodes (50% of 100).
 */
export const MIN_FEASIBLE_NODES_TO_FIND = 50;
/** The adaptive percentage's floor. */
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5;
/** The adaptive percentage at zero nodes; it drops one point per ADAPTIVE_NODES_PER_POINT nodes. */
export const ADAPTIVE_BASE_PERCENTAGE = 50;
export const ADAPTIVE_NODES_PER_POINT = 125;

/** `percentage` 0 means adaptive; 100 or more means every node. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(ADAPTIVE_BASE_PERCENTAGE - numAllNodes / ADAPTIVE_NODES_PER_POINT, MIN_FEASIBLE_NODES_PERCENTAGE);
  const n = Math.floor((numAllNodes * pct) / 100);
  return Math.min(numAllNodes, Math.max(n, MIN_FEASIBLE_NODES_TO_FIND));
}
