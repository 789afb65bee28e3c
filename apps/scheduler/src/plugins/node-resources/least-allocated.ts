// NodeResourcesLeastAllocated: prefers the node with the largest share of CPU and memory still
// free after placing the pod, which spreads load in proportion to node size.
//   score = mean over cpu, memory of (allocatable - requested after placing) / allocatable * 100
// Worked example: 4 cores with 1 requested and a 1-core pod → cpu (4-2)/4 = 50; 8 GiB with 2 GiB
// requested and a 2 GiB pod → memory (8-4)/8 = 50; score 50. Requests count with the scoring
// defaults (100m, 200 MiB) for containers that set none, so best-effort pods spread too.
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';

export const NAME = 'NodeResourcesLeastAllocated';

/** Free share of one resource after placing `podRequest`, in [0, MAX_NODE_SCORE]. */
export function freeShare(allocatable: number, requested: number, podRequest: number): number {
  const after = requested + podRequest;
  if (allocatable <= 0 || after > allocatable) return 0;
  return ((allocatable - after) * MAX_NODE_SCORE) / allocatable;
}

export class NodeResourcesLeastAllocated implements ScorePlugin {
  readonly name = NAME;

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const cpu = freeShare(node.allocatable.milliCPU, node.nonZeroRequested.milliCPU, pod.nonZero.milliCPU);
    const memory = freeShare(node.allocatable.memory, node.nonZeroRequested.memory, pod.nonZero.memory);
    return (cpu + memory) / 2;
  }
}

export const newNodeResourcesLeastAllocated = (): NodeResourcesLeastAllocated => new NodeResourcesLeastAllocated();
