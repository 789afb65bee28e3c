// NodePorts: a pod asking for host ports may only go to a node where none of them is taken by a
// pod already there (same port and protocol on an overlapping address; see host-ports.ts). Pods
// without host ports skip the filter entirely.
import type { CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP, SUCCESS, unschedulable, type Status } from '../../framework/status.js';

export const NAME = 'NodePorts';
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
const REJECTED = unschedulable(REASON_PORTS);

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(_state: CycleState, pod: PodInfo): Status {
    return pod.hostPorts.length === 0 ? SKIP : SUCCESS;
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (node.usedPorts.size === 0) return SUCCESS;
    for (const p of pod.hostPorts) if (node.usedPorts.conflicts(p)) return REJECTED;
    return SUCCESS;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.AssignedPodDelete];
  }
}

export const newNodePorts = (): NodePorts => new NodePorts();
