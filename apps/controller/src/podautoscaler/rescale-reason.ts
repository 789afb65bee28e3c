/**
 * The words of the HPA's SuccessfulRescale Event, as Kubernetes' horizontal.go writes them: each metric is named
 * by what it measures ("cpu resource utilization (percentage of request)", "pods metric http_requests_per_second",
 * "Service metric ..."), the reason says which metric drove a scale up, or that all were below target, and the
 * message is "New size: N; reason: R". Pure, so the shell and tests share one wording.
 */
import type { MetricSpec } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

/** Reasons for a rescale forced by [min, max] before any metric is consulted (reconcileAutoscaler). */
export const CURRENT_ABOVE_MAX = 'Current number of replicas above Spec.MaxReplicas';
export const CURRENT_BELOW_MIN = 'Current number of replicas below Spec.MinReplicas';
/** A scale down names no metric: it needs every metric to agree. */
export const ALL_METRICS_BELOW_TARGET = 'All metrics below target';

/** How Kubernetes names a metric in events (computeReplicasForMetric's metricNameProposal). */
export function metricDescription(spec: DeepReadonly<MetricSpec>): string {
  switch (spec.type) {
    case 'Resource':
      return spec.resource?.target.type === 'Utilization' ? `${spec.resource.name} resource utilization (percentage of request)` : `${spec.resource?.name ?? ''} resource`;
    case 'ContainerResource':
      return spec.containerResource?.target.type === 'Utilization'
        ? `${spec.containerResource.name} container resource utilization (percentage of request)`
        : `${spec.containerResource?.name ?? ''} container resource`;
    case 'Pods':
      return `pods metric ${spec.pods?.metric.name ?? ''}`;
    case 'Object':
      return `${spec.object?.describedObject.kind ?? ''} metric ${spec.object?.metric.name ?? ''}`;
    case 'External':
      return `external metric ${spec.external?.metric.name ?? ''}`;
  }
}

/** The reason for going from current to desired; topMetric is the description of the metric with the highest proposal. */
export function rescaleReason(currentReplicas: number, desiredReplicas: number, topMetric: string): string {
  if (desiredReplicas > currentReplicas) return `${topMetric} above target`;
  if (desiredReplicas < currentReplicas) return ALL_METRICS_BELOW_TARGET;
  return '';
}

/** The SuccessfulRescale Event's message. */
export function rescaleMessage(newSize: number, reason: string): string {
  return `New size: ${newSize}; reason: ${reason}`;
}
