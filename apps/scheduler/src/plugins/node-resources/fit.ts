// NodeResourcesFit: a pod fits a node when, for every resource it requests, what the node's pods
// (bound and assumed) already request plus the pod's request stays within allocatable, and the
// node has room for one more pod. Worked example: allocatable cpu 2, pods there request 1500m, the
// pod asks 600m: 2100m > 2000m, so the node is rejected with "Insufficient cpu".
//
// Every insufficient resource is reported (each is counted in the FailedScheduling message). When
// the pod asks more than the node's whole allocatable, no eviction could help: the rejection is
// then unresolvable; otherwise a pod leaving may make room (Unschedulable).
import type { CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status, SUCCESS } from '../../framework/status.js';

export const NAME = 'NodeResourcesFit';
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficient = (resource: string): string => `Insufficient ${resource}`;

interface Shortage {
  reasons: string[];
  /** The request alone exceeds allocatable: nothing on the node could make room. */
  unresolvable: boolean;
}

export class NodeResourcesFit implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const s = shortages(pod, node);
    if (s === undefined) return SUCCESS;
    return new Status(s.unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, s.reasons);
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate, ClusterEvent.AssignedPodDelete, ClusterEvent.AssignedPodUpdate];
  }
}

/** The resources the node lacks for the pod, or undefined when it fits (the common, cheap path). */
function shortages(pod: PodInfo, node: NodeInfo): Shortage | undefined {
  const req = pod.requests;
  const alloc = node.allocatable;
  const used = node.requested;
  const tooManyPods = node.pods.size + 1 > alloc.pods;
  const cpu = req.milliCPU > 0 && used.milliCPU + req.milliCPU > alloc.milliCPU;
  const memory = req.memory > 0 && used.memory + req.memory > alloc.memory;
  if (!tooManyPods && !cpu && !memory && !req.scalar) return undefined;
  const out: Shortage = { reasons: [], unresolvable: false };
  if (tooManyPods) out.reasons.push(REASON_TOO_MANY_PODS);
  if (cpu) add(out, 'cpu', req.milliCPU > alloc.milliCPU);
  if (memory) add(out, 'memory', req.memory > alloc.memory);
  for (const [name, v] of req.scalar ?? []) {
    if (v > 0 && used.get(name) + v > alloc.get(name)) add(out, name, v > alloc.get(name));
  }
  return out.reasons.length === 0 ? undefined : out;
}

function add(out: Shortage, resource: string, beyondAllocatable: boolean): void {
  out.reasons.push(insufficient(resource));
  if (beyondAllocatable) out.unresolvable = true;
}

export const newNodeResourcesFit = (): NodeResourcesFit => new NodeResourcesFit();
