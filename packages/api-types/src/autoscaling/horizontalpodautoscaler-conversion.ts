// Conversion between the stored autoscaling/v2 HorizontalPodAutoscaler and autoscaling/v1, as
// Kubernetes' pkg/apis/autoscaling/v1/conversion.go does it:
//   v1 spec.targetCPUUtilizationPercentage   ⇄ the v2 Resource metric `cpu` with a Utilization target
//   v1 status.currentCPUUtilizationPercentage ⇄ the v2 `cpu` entry of status.currentMetrics
// and everything v1 cannot express kept in annotations, so a v1 client that reads an object and
// writes it back loses nothing:
//   autoscaling.alpha.kubernetes.io/metrics          the other metrics, in v1's MetricSpec layout
//   autoscaling.alpha.kubernetes.io/current-metrics  every current metric, in v1's MetricStatus layout
//   autoscaling.alpha.kubernetes.io/conditions       status.conditions
//   autoscaling.alpha.kubernetes.io/behavior         spec.behavior (Go field names, see behavior-v1)
// Reading v1 uses the annotations and removes them, so they are never stored. Annotations that do
// not parse are ignored, as Kubernetes ignores them.
//
// Worked example: a v2 HPA with metrics [cpu 50%, pods requests 10] reads at v1 as
// targetCPUUtilizationPercentage 50 and metrics annotation [pods requests 10]; written back at v1 it
// becomes [pods requests 10, cpu 50%]: the annotation's metrics first, then the CPU one, the order
// Kubernetes gives it too.
import type { Condition, ObjectMeta } from '../meta/v1.js';
import {
  DEFAULT_CPU_UTILIZATION,
  type CrossVersionObjectReference,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerSpec,
  type HorizontalPodAutoscalerStatus,
  type MetricSpec,
  type MetricStatus,
} from './horizontalpodautoscaler.js';
import type { HorizontalPodAutoscalerSpecV1, HorizontalPodAutoscalerStatusV1, HorizontalPodAutoscalerV1 } from './horizontalpodautoscaler-v1.js';
import { decodeBehaviorAnnotation, encodeBehaviorAnnotation } from './horizontalpodautoscaler-behavior-v1.js';
import { metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1, type MetricSpecV1, type MetricStatusV1 } from './horizontalpodautoscaler-metrics-v1.js';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
/** Written by Kubernetes' v2beta2 conversion; dropped here with the others, as Kubernetes drops them. */
const TOLERANCE_ANNOTATIONS = ['autoscaling.alpha.kubernetes.io/scale-down-tolerance', 'autoscaling.alpha.kubernetes.io/scale-up-tolerance'];
/** Annotations a conversion produces, never kept from input (DropRoundTripHorizontalPodAutoscalerAnnotations). */
const ROUND_TRIP_ANNOTATIONS = [METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION, ...TOLERANCE_ANNOTATIONS];

const CPU = 'cpu';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata without the round-trip annotations; `annotations` goes when nothing else is left. */
function withoutRoundTrip(meta: ObjectMeta): ObjectMeta {
  const annotations = meta.annotations;
  if (!annotations || !ROUND_TRIP_ANNOTATIONS.some((k) => k in annotations)) return { ...meta };
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !ROUND_TRIP_ANNOTATIONS.includes(k)));
  const { annotations: _dropped, ...rest } = meta;
  return Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest;
}

/** The objects of a JSON-array annotation; undefined when absent or not an array. */
function annotationList(meta: ObjectMeta, key: string): Array<Record<string, unknown>> | undefined {
  const raw = meta.annotations?.[key];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isObject) : undefined;
  } catch {
    return undefined;
  }
}

const reference = (r: CrossVersionObjectReference): CrossVersionObjectReference => ({ kind: r.kind, name: r.name, ...(r.apiVersion !== undefined ? { apiVersion: r.apiVersion } : {}) });

const isCpu = (m: MetricSpec | MetricStatus) => m.type === 'Resource' && m.resource?.name === CPU;
const isCpuUtilization = (m: MetricSpec) => isCpu(m) && m.resource?.target.averageUtilization !== undefined;

const cpuUtilization = (percent: number): MetricSpec => ({ type: 'Resource', resource: { name: CPU, target: { type: 'Utilization', averageUtilization: percent } } });

function specToV1(spec: HorizontalPodAutoscalerSpec): HorizontalPodAutoscalerSpecV1 {
  // The first CPU resource metric decides, even one without a utilisation target (then none is shown).
  const cpu = (spec.metrics ?? []).find(isCpu);
  const target = cpu?.resource?.target.averageUtilization;
  return {
    scaleTargetRef: reference(spec.scaleTargetRef),
    ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec.maxReplicas,
    ...(target !== undefined ? { targetCPUUtilizationPercentage: target } : {}),
  };
}

function statusToV1(status: HorizontalPodAutoscalerStatus | undefined): HorizontalPodAutoscalerStatusV1 {
  // Kubernetes' loop does not stop at the first match: the last CPU reading with a utilisation wins.
  let currentCpu: number | undefined;
  for (const m of status?.currentMetrics ?? []) if (isCpu(m) && m.resource?.current.averageUtilization !== undefined) currentCpu = m.resource.current.averageUtilization;
  return {
    ...(status?.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status?.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
    // Not optional in v1's type: always written, 0 when unknown.
    currentReplicas: status?.currentReplicas ?? 0,
    desiredReplicas: status?.desiredReplicas ?? 0,
    ...(currentCpu !== undefined ? { currentCPUUtilizationPercentage: currentCpu } : {}),
  };
}

/** The round-trip annotations for what v1 cannot hold. */
function roundTripAnnotations(hpa: HorizontalPodAutoscaler): Record<string, string> {
  const out: Record<string, string> = {};
  const other = (hpa.spec?.metrics ?? []).filter((m) => !isCpuUtilization(m));
  if (other.length > 0) out[METRICS_ANNOTATION] = JSON.stringify(other.map(metricSpecToV1));
  const current = hpa.status?.currentMetrics ?? [];
  if (current.length > 0) out[CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(metricStatusToV1));
  const conditions = hpa.status?.conditions ?? [];
  if (conditions.length > 0) out[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  if (hpa.spec?.behavior) out[BEHAVIOR_ANNOTATION] = encodeBehaviorAnnotation(hpa.spec.behavior);
  return out;
}

/** The stored autoscaling/v2 object as autoscaling/v1 shows it. */
export function hpaFromV2(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const metadata = withoutRoundTrip(hpa.metadata);
  const extra = roundTripAnnotations(hpa);
  if (Object.keys(extra).length > 0) metadata.annotations = { ...metadata.annotations, ...extra };
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    ...(hpa.spec ? { spec: specToV1(hpa.spec) } : {}),
    status: statusToV1(hpa.status),
  };
}

function specToV2(spec: HorizontalPodAutoscalerSpecV1, meta: ObjectMeta): HorizontalPodAutoscalerSpec {
  const metrics = (annotationList(meta, METRICS_ANNOTATION) ?? []).map((m) => metricSpecFromV1(m as unknown as MetricSpecV1));
  if (spec.targetCPUUtilizationPercentage !== undefined) metrics.push(cpuUtilization(spec.targetCPUUtilizationPercentage));
  // v1's implicit target, made explicit as Kubernetes does (it has every metric at hand here).
  if (metrics.length === 0) metrics.push(cpuUtilization(DEFAULT_CPU_UTILIZATION));
  const rawBehavior = meta.annotations?.[BEHAVIOR_ANNOTATION];
  const behavior = rawBehavior === undefined ? undefined : decodeBehaviorAnnotation(rawBehavior);
  return {
    scaleTargetRef: isObject(spec.scaleTargetRef) ? reference(spec.scaleTargetRef) : spec.scaleTargetRef,
    ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec.maxReplicas,
    metrics,
    ...(behavior ? { behavior } : {}),
  };
}

function statusToV2(status: HorizontalPodAutoscalerStatusV1 | undefined, meta: ObjectMeta): HorizontalPodAutoscalerStatus | undefined {
  // The annotation has more than the percentage (raw values, other metrics): it wins.
  const annotated = annotationList(meta, CURRENT_METRICS_ANNOTATION)?.map((m) => metricStatusFromV1(m as unknown as MetricStatusV1));
  const cpu = status?.currentCPUUtilizationPercentage;
  const currentMetrics: MetricStatus[] | undefined = annotated ?? (cpu !== undefined ? [{ type: 'Resource', resource: { name: CPU, current: { averageUtilization: cpu } } }] : undefined);
  const conditions = annotationList(meta, CONDITIONS_ANNOTATION) as Condition[] | undefined;
  if (!status && !currentMetrics && !conditions) return undefined;
  return {
    ...(status?.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status?.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
    ...(status?.currentReplicas !== undefined ? { currentReplicas: status.currentReplicas } : {}),
    ...(status?.desiredReplicas !== undefined ? { desiredReplicas: status.desiredReplicas } : {}),
    ...(currentMetrics && currentMetrics.length > 0 ? { currentMetrics } : {}),
    ...(conditions && conditions.length > 0 ? { conditions } : {}),
  };
}

/** An autoscaling/v1 object as the autoscaling/v2 object it stands for. */
export function hpaToV2(hpa: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const meta = isObject(hpa.metadata) ? hpa.metadata : {};
  const status = statusToV2(isObject(hpa.status) ? hpa.status : undefined, meta);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: withoutRoundTrip(meta),
    ...(isObject(hpa.spec) ? { spec: specToV2(hpa.spec, meta) } : {}),
    ...(status ? { status } : {}),
  };
}
