// NodeResourcesBalancedAllocation: prefers nodes whose CPU and memory would be used in equal
// shares after placing the pod, so one resource is not exhausted while the other lies idle.
//   f = requested after placing / allocatable, per resource (capped at 1)
//   score = (1 - |f_cpu - f_memory| / 2) * 100     (the standard deviation of two values is half their distance)
// Worked example: cpu 50% and memory 50% → 100; cpu 80% and memory 20% → (1 - 0.3) * 100 = 70.
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';

export const NAME = 'NodeResourcesBalancedAllocation';

function fraction(allocatable: number, requested: number): number {
  if (allocatable <= 0) return 1;
  return Math.min(1, requested / allocatable);
}

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = NAME;

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const cpu = fraction(node.allocatable.milliCPU, node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU);
    const memory = fraction(node.allocatable.memory, node.nonZeroRequested.memory + pod.nonZero.memory);
    return (1 - Math.abs(cpu - memory) / 2) * MAX_NODE_SCORE;
  }
}

export const newNodeResourcesBalancedAllocation = (): NodeResourcesBalancedAllocation => new NodeResourcesBalancedAllocation();
