// Cluster events: the changes that may make a rejected pod schedulable. Each plugin declares the
// events that can undo its own rejections (a pod rejected only for "Insufficient cpu" can fit
// after a pod leaves or a node grows, never after a node's labels change), and the queue moves
// an unschedulable pod back only when one of the plugins that rejected it cares about the event.

export const ClusterEvent = {
  NodeAdd: 'Node/Add',
  /** allocatable, labels, taints, unschedulable or Ready changed (heartbeats alone do not count). */
  NodeUpdate: 'Node/Update',
  NodeDelete: 'Node/Delete',
  AssignedPodAdd: 'AssignedPod/Add',
  /** A bound pod's labels or requests changed. */
  AssignedPodUpdate: 'AssignedPod/Update',
  /** A bound pod was deleted or finished: its resources and ports are free again. */
  AssignedPodDelete: 'AssignedPod/Delete',
  ServiceChange: 'Service/Change',
  /** A PersistentVolumeClaim was added, changed or deleted. */
  PvcChange: 'PersistentVolumeClaim/Change',
  /** A PersistentVolume was added, changed or deleted. */
  PvChange: 'PersistentVolume/Change',
  StorageClassChange: 'StorageClass/Change',
  /** A RuntimeClass was added, changed or deleted: the handler a class names may be offered now. */
  RuntimeClassChange: 'RuntimeClass/Change',
  /** Periodic flush and anything the scheduler cannot attribute: moves every pod. */
  Wildcard: '*',
} as const;
export type ClusterEvent = (typeof ClusterEvent)[keyof typeof ClusterEvent];
