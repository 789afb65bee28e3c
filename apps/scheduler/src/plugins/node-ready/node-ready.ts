// NodeReady: only nodes whose Ready condition is True take new pods. Kubernetes gets the same
// effect from the node lifecycle controller's node.kubernetes.io/not-ready taint; kite checks the
// condition directly so a node is skipped from the moment its kubelet reports it not ready. A pod
// tolerating that taint (NoSchedule) may still go there, as it could in Kubernetes.
import type { CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/interface.js';
import type { NodeInfo, TaintObj } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { toleratedBy } from '../taint-toleration/tolerations.js';

export const NAME = 'NodeReady';
export const REASON_NOT_READY = 'node(s) were not ready';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';

const notReadyTaint: TaintObj = { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' };
const REJECTED = unresolvable(REASON_NOT_READY);

export class NodeReady implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (node.ready) return SUCCESS;
    return toleratedBy(pod.pod.spec?.tolerations ?? [], notReadyTaint) ? SUCCESS : REJECTED;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newNodeReady = (): NodeReady => new NodeReady();
