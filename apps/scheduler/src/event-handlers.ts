// Informer handlers: how watch events reach the cache and the queue.
//
// Pods (one informer over all pods, as kube-scheduler's shared informer):
//   - bound (spec.nodeName set) and not finished → cache (confirms assumed pods); the change is a
//     cluster event (AssignedPodAdd/Update/Delete) that may wake unschedulable pods;
//   - unbound, for our schedulerName, not being deleted, not gated → queue; pods the scheduler has
//     assumed are left alone (they are binding), so a late update cannot schedule them twice.
// Nodes → cache, plus NodeAdd, or NodeUpdate when a scheduling-relevant field changed (not on
// mere heartbeats). Services → ServiceChange (spreading reads them from their informer's store).
import type { InformerHandlers } from '@kite/client';
import type { Node, Pod, Service } from '@kite/api-types';
import { isTerminal, type SchedulerCache } from './cache/cache.js';
import { ClusterEvent } from './framework/events.js';
import { podInfoFor } from './framework/pod-info.js';
import { DEFAULT_SCHEDULER_NAME } from './framework/profile.js';
import { podKey, type NodeObj, type PodObj } from './framework/types.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

export interface HandlerTargets {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  schedulerName: string;
}

const isAssigned = (pod: PodObj): boolean => !!pod.spec?.nodeName;
/** A bound pod that holds resources on its node. */
const isActiveAssigned = (pod: PodObj): boolean => isAssigned(pod) && !isTerminal(pod);

/** Whether this scheduler should try to place the pod now. */
export function isPendingForUs(pod: PodObj, schedulerName: string): boolean {
  if (isAssigned(pod) || isTerminal(pod) || pod.metadata.deletionTimestamp) return false;
  if ((pod.spec?.schedulingGates?.length ?? 0) > 0) return false;
  return (pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName;
}

export function podHandlers(t: HandlerTargets): InformerHandlers<Pod> {
  const onPending = (pod: PodObj) => {
    const key = podKey(pod);
    if (t.cache.isAssumed(key)) return;
    if (isPendingForUs(pod, t.schedulerName)) t.queue.add(podInfoFor(pod));
    else t.queue.delete(key);
  };
  return {
    add: (pod) => {
      if (isActiveAssigned(pod)) {
        t.queue.delete(podKey(pod));
        t.cache.upsertPod(pod);
        t.queue.onEvent(ClusterEvent.AssignedPodAdd);
      } else onPending(pod);
    },
    update: (oldPod, newPod) => {
      if (oldPod === newPod) return; // periodic resync: nothing changed
      if (isAssigned(newPod)) {
        t.queue.delete(podKey(newPod));
        t.cache.upsertPod(newPod);
        t.queue.onEvent(assignedUpdateEvent(oldPod, newPod));
      } else onPending(newPod);
    },
    delete: (pod) => {
      const key = podKey(pod);
      t.queue.delete(key);
      const wasCounted = t.cache.nodeOf(key) !== undefined;
      t.cache.removePod(key);
      if (wasCounted) t.queue.onEvent(ClusterEvent.AssignedPodDelete);
    },
  };
}

function assignedUpdateEvent(oldPod: PodObj, newPod: PodObj): ClusterEvent {
  if (!isAssigned(oldPod)) return ClusterEvent.AssignedPodAdd;
  if (isActiveAssigned(oldPod) && !isActiveAssigned(newPod)) return ClusterEvent.AssignedPodDelete;
  return ClusterEvent.AssignedPodUpdate;
}

export function nodeHandlers(t: HandlerTargets): InformerHandlers<Node> {
  return {
    add: (node) => {
      t.cache.upsertNode(node);
      t.queue.onEvent(ClusterEvent.NodeAdd);
    },
    update: (oldNode, newNode) => {
      if (oldNode === newNode) return;
      t.cache.upsertNode(newNode);
      if (schedulingFieldsChanged(oldNode, newNode)) t.queue.onEvent(ClusterEvent.NodeUpdate);
    },
    delete: (node) => {
      t.cache.removeNode(node.metadata.name ?? '');
      t.queue.onEvent(ClusterEvent.NodeDelete);
    },
  };
}

/** Allocatable, labels, taints, unschedulable and Ready: what the filters read. */
export function schedulingFieldsChanged(a: NodeObj, b: NodeObj): boolean {
  const ready = (n: NodeObj) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready(a) !== ready(b) || (a.spec?.unschedulable ?? false) !== (b.spec?.unschedulable ?? false)) return true;
  const fields = (n: NodeObj) => JSON.stringify([n.status?.allocatable, n.metadata.labels, n.spec?.taints]);
  return fields(a) !== fields(b);
}

export function serviceHandlers(t: HandlerTargets): InformerHandlers<Service> {
  const changed = () => t.queue.onEvent(ClusterEvent.ServiceChange);
  return { add: changed, update: (a, b) => a !== b && changed(), delete: changed };
}
