// NodeUnschedulable: a cordoned node (spec.unschedulable, `kubectl cordon`) takes no new pods,
// unless the pod tolerates the taint Kubernetes associates with it
// (node.kubernetes.io/unschedulable:NoSchedule), as DaemonSet pods do.
import type { CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/interface.js';
import type { NodeInfo, TaintObj } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { toleratedBy } from '../taint-toleration/tolerations.js';

export const NAME = 'NodeUnschedulable';
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const unschedulableTaint: TaintObj = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
const REJECTED = unresolvable(REASON_UNSCHEDULABLE);

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (!node.unschedulable) return SUCCESS;
    return toleratedBy(pod.pod.spec?.tolerations ?? [], unschedulableTaint) ? SUCCESS : REJECTED;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newNodeUnschedulable = (): NodeUnschedulable => new NodeUnschedulable();
