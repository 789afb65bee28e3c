// autoscaling/v2 HorizontalPodAutoscaler: scales a workload's `scale` subresource between
// minReplicas and maxReplicas to hold metrics (CPU utilisation by default) at their targets.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { Quantity } from '../quantity.js';
import { AtomicList, KeyedList, OptInt, OptString, StringEnum } from '../schema.js';
import { invalid, required } from '../validation/causes.js';
import { validatePositive, validateQuantity, validateRange } from '../validation/fields.js';

/** With no metrics given, the HPA holds average CPU at 80% of requests. */
export const DEFAULT_CPU_UTILIZATION = 80;

export const CrossVersionObjectReference = Type.Object({ kind: Type.String(), name: Type.String(), apiVersion: OptString() });
export type CrossVersionObjectReference = Static<typeof CrossVersionObjectReference>;

export const MetricTarget = Type.Object({
  type: StringEnum(['Utilization', 'Value', 'AverageValue'] as const),
  value: Type.Optional(Quantity),
  averageValue: Type.Optional(Quantity),
  averageUtilization: OptInt('Percent of the pods\' requests, for resource metrics.'),
});
export type MetricTarget = Static<typeof MetricTarget>;

/** A metric by name, optionally narrowed by a selector on its labels. */
export const MetricIdentifier = Type.Object({ name: Type.String(), selector: Type.Optional(LabelSelector) });
export type MetricIdentifier = Static<typeof MetricIdentifier>;
const ResourceMetricSource = Type.Object({ name: Type.String({ description: 'cpu or memory.' }), target: MetricTarget });

export const METRIC_SOURCE_TYPES = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] as const;
export type MetricSourceType = (typeof METRIC_SOURCE_TYPES)[number];
/** The field holding each metric type's source. */
const SOURCE_FIELD: Record<MetricSourceType, 'object' | 'pods' | 'resource' | 'containerResource' | 'external'> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

export const MetricSpec = Type.Object({
  type: StringEnum(METRIC_SOURCE_TYPES),
  object: Type.Optional(Type.Object({ describedObject: CrossVersionObjectReference, target: MetricTarget, metric: MetricIdentifier })),
  pods: Type.Optional(Type.Object({ metric: MetricIdentifier, target: MetricTarget })),
  resource: Type.Optional(ResourceMetricSource),
  containerResource: Type.Optional(Type.Object({ name: Type.String(), container: Type.String(), target: MetricTarget })),
  external: Type.Optional(Type.Object({ metric: MetricIdentifier, target: MetricTarget })),
});
export type MetricSpec = Static<typeof MetricSpec>;

export const HPAScalingPolicy = Type.Object({ type: StringEnum(['Pods', 'Percent'] as const), value: Type.Integer(), periodSeconds: Type.Integer() });
export type HPAScalingPolicy = Static<typeof HPAScalingPolicy>;
export const HPAScalingRules = Type.Object({
  stabilizationWindowSeconds: OptInt(),
  selectPolicy: Type.Optional(StringEnum(['Max', 'Min', 'Disabled'] as const)),
  policies: Type.Optional(AtomicList(HPAScalingPolicy)),
  tolerance: Type.Optional(Quantity),
});
export type HPAScalingRules = Static<typeof HPAScalingRules>;

export const HorizontalPodAutoscalerBehavior = Type.Object({ scaleUp: Type.Optional(HPAScalingRules), scaleDown: Type.Optional(HPAScalingRules) });
export type HorizontalPodAutoscalerBehavior = Static<typeof HorizontalPodAutoscalerBehavior>;

export const HorizontalPodAutoscalerSpec = Type.Object(
  {
    scaleTargetRef: CrossVersionObjectReference,
    minReplicas: OptInt('Lower bound; defaults to 1.'),
    maxReplicas: Type.Integer({ description: 'Upper bound; at least minReplicas.' }),
    metrics: Type.Optional(AtomicList(MetricSpec, 'Metrics to hold at target; defaults to 80% average CPU utilisation.')),
    behavior: Type.Optional(HorizontalPodAutoscalerBehavior),
  },
  { description: 'What to scale and towards which targets.' },
);
export type HorizontalPodAutoscalerSpec = Static<typeof HorizontalPodAutoscalerSpec>;

/** A metric's current reading: a total (value), a per-pod average, or a percent of requests. */
export const MetricValueStatus = Type.Object({
  value: Type.Optional(Quantity),
  averageValue: Type.Optional(Quantity),
  averageUtilization: OptInt("Average of the pods' usage as a percent of their requests, for resource metrics."),
});
export type MetricValueStatus = Static<typeof MetricValueStatus>;

export const ResourceMetricStatus = Type.Object({ name: Type.String({ description: 'cpu or memory.' }), current: MetricValueStatus });
export type ResourceMetricStatus = Static<typeof ResourceMetricStatus>;
export const ContainerResourceMetricStatus = Type.Object({ name: Type.String(), container: Type.String(), current: MetricValueStatus });
export type ContainerResourceMetricStatus = Static<typeof ContainerResourceMetricStatus>;
export const PodsMetricStatus = Type.Object({ metric: MetricIdentifier, current: MetricValueStatus });
export type PodsMetricStatus = Static<typeof PodsMetricStatus>;
export const ObjectMetricStatus = Type.Object({ describedObject: CrossVersionObjectReference, metric: MetricIdentifier, current: MetricValueStatus });
export type ObjectMetricStatus = Static<typeof ObjectMetricStatus>;
export const ExternalMetricStatus = Type.Object({ metric: MetricIdentifier, current: MetricValueStatus });
export type ExternalMetricStatus = Static<typeof ExternalMetricStatus>;

/** autoscaling/v2 MetricStatus: `type` names which one of the source fields is set. */
export const MetricStatus = Type.Object({
  type: StringEnum(METRIC_SOURCE_TYPES),
  object: Type.Optional(ObjectMetricStatus),
  pods: Type.Optional(PodsMetricStatus),
  resource: Type.Optional(ResourceMetricStatus),
  containerResource: Type.Optional(ContainerResourceMetricStatus),
  external: Type.Optional(ExternalMetricStatus),
});
export type MetricStatus = Static<typeof MetricStatus>;

export const HorizontalPodAutoscalerStatus = Type.Object({
  observedGeneration: OptInt(),
  lastScaleTime: OptString(),
  currentReplicas: OptInt(),
  desiredReplicas: OptInt(),
  currentMetrics: Type.Optional(AtomicList(MetricStatus, 'The last read state of the metrics this autoscaler uses.')),
  conditions: Type.Optional(KeyedList(Condition, 'type', 'AbleToScale, ScalingActive, ScalingLimited.')),
});
export type HorizontalPodAutoscalerStatus = Static<typeof HorizontalPodAutoscalerStatus>;

export const HorizontalPodAutoscaler = kindSchema(
  'autoscaling/v2',
  'HorizontalPodAutoscaler',
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  'Automatically scales a workload to hold metrics at their targets.',
);
export type HorizontalPodAutoscaler = Static<typeof HorizontalPodAutoscaler>;

/**
 * Kubernetes' scaling behaviour: up fast (4 pods or 100% per 15 s), down at most 100% per 15 s. The scale-down
 * window stays unset, as in Kubernetes, so the controller's --horizontal-pod-autoscaler-downscale-stabilization
 * (5 min by default) applies.
 */
function defaultBehavior(spec: HorizontalPodAutoscalerSpec): void {
  const b = spec.behavior;
  if (!b) return;
  const up = (b.scaleUp ??= {});
  up.stabilizationWindowSeconds ??= 0;
  up.selectPolicy ??= 'Max';
  up.policies ??= [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
  const down = (b.scaleDown ??= {});
  down.selectPolicy ??= 'Max';
  down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

function defaultHPA(hpa: HorizontalPodAutoscaler): void {
  const spec = hpa.spec;
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  defaultBehavior(spec);
}

function validateTarget(t: MetricTarget, path: string): StatusCause[] {
  const out = [...validateQuantity(t.value, `${path}.value`), ...validateQuantity(t.averageValue, `${path}.averageValue`)];
  if (t.type === 'Utilization' && t.averageUtilization === undefined) out.push(required(`${path}.averageUtilization`, 'must set averageUtilization when type is Utilization'));
  if (t.type === 'Value' && t.value === undefined) out.push(required(`${path}.value`, 'must set value when type is Value'));
  if (t.type === 'AverageValue' && t.averageValue === undefined) out.push(required(`${path}.averageValue`, 'must set averageValue when type is AverageValue'));
  out.push(...validatePositive(t.averageUtilization, `${path}.averageUtilization`));
  return out;
}

function validateMetric(m: MetricSpec, path: string): StatusCause[] {
  const field = SOURCE_FIELD[m.type];
  const source = m[field];
  const out: StatusCause[] = [];
  if (!source) return [required(`${path}.${field}`, `must populate information for the given metric source (type ${m.type})`)];
  for (const other of Object.values(SOURCE_FIELD)) {
    if (other !== field && m[other] !== undefined) out.push(invalid(`${path}.${other}`, other, 'must populate the given metric source only'));
  }
  out.push(...validateTarget(source.target, `${path}.${field}.target`));
  return out;
}

function validateRules(r: HPAScalingRules | undefined, path: string): StatusCause[] {
  if (!r) return [];
  const out = validateRange(r.stabilizationWindowSeconds, 0, 3600, `${path}.stabilizationWindowSeconds`);
  r.policies?.forEach((p, i) => {
    out.push(...validatePositive(p.value, `${path}.policies[${i}].value`), ...validateRange(p.periodSeconds, 1, 1800, `${path}.policies[${i}].periodSeconds`));
  });
  return out;
}

function validateHPA(hpa: HorizontalPodAutoscaler): StatusCause[] {
  const spec = hpa.spec;
  if (!spec) return [required('spec.scaleTargetRef'), required('spec.maxReplicas')];
  const out: StatusCause[] = [];
  if (!spec.scaleTargetRef.kind) out.push(required('spec.scaleTargetRef.kind'));
  if (!spec.scaleTargetRef.name) out.push(required('spec.scaleTargetRef.name'));
  const min = spec.minReplicas ?? 1;
  if (min < 1) out.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (spec.maxReplicas < 1) out.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  else if (spec.maxReplicas < min) out.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  spec.metrics?.forEach((m, i) => out.push(...validateMetric(m, `spec.metrics[${i}]`)));
  out.push(...validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'), ...validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return out;
}

export const HorizontalPodAutoscalerResource = defineResource<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  shortNames: ['hpa'],
  namespaced: true,
  categories: ['all'],
  schema: HorizontalPodAutoscaler,
  status: true,
  defaults: defaultHPA,
  validate: validateHPA,
});
