// computeReplicasForMetric: one metric of an HPA → a replica proposal and its MetricStatus, or
// the failure Kubernetes reports for it (horizontal.go computeReplicasForMetric and its
// computeStatusFor*Metric helpers). Reads metrics through MetricsClient, counts with C1's
// replica-calculator.ts.
//
// Failures carry the condition reason (= the Event reason) and the error text; the caller puts
// "the HPA was unable to compute the replica count: TEXT" into ScalingActive.
import { formatQuantity, quantityMilliValue, type MetricSpec, type MetricStatus, type MetricTarget } from '@kite/api-types';
import { mutableCopy, type DeepReadonly } from '@kite/client';
import type { CalculatorOptions, CalculatorPod } from './calculator-types.js';
import type { MetricsClient } from './metrics-client.js';
import { getMetricReplicas, getObjectMetricReplicas, getObjectPerPodMetricReplicas, getRawResourceReplicas, getResourceReplicas } from './replica-calculator.js';
import type { ScaleMapper } from './rest-mapper.js';

/** Condition and Event reasons for a metric that could not be read (Kubernetes' names). */
export const REASON_FAILED_GET_RESOURCE_METRIC = 'FailedGetResourceMetric';
export const REASON_FAILED_GET_CONTAINER_RESOURCE_METRIC = 'FailedGetContainerResourceMetric';
export const REASON_FAILED_GET_PODS_METRIC = 'FailedGetPodsMetric';
export const REASON_FAILED_GET_OBJECT_METRIC = 'FailedGetObjectMetric';
export const REASON_FAILED_GET_EXTERNAL_METRIC = 'FailedGetExternalMetric';
export const REASON_INVALID_METRIC_SOURCE_TYPE = 'InvalidMetricSourceType';

export interface MetricContext {
  namespace: string;
  /** scale.status.selector. */
  selector: string;
  currentReplicas: number;
  /** hpa.status.currentReplicas (Object AverageValue targets). */
  statusReplicas: number;
  /** Pods of the target, for the calculator; `requestFor` fills requests per resource. */
  pods: (resource: string | undefined, container?: string) => CalculatorPod[];
  metrics: MetricsClient;
  mapper: ScaleMapper;
  opts: CalculatorOptions;
}

export type MetricOutcome = { ok: true; replicas: number; status: MetricStatus; timestampMs?: number } | { ok: false; reason: string; error: string };

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const milli = (q: string | number | undefined) => (q === undefined ? 0 : quantityMilliValue(q));
/** A milli-value as a Quantity string ("73m", "2"). */
const quantity = (m: number) => formatQuantity(Math.round(m) / 1000);

export async function computeReplicasForMetric(ctx: MetricContext, spec: DeepReadonly<MetricSpec>): Promise<MetricOutcome> {
  switch (spec.type) {
    case 'Resource':
      return spec.resource ? attempt(REASON_FAILED_GET_RESOURCE_METRIC, `failed to get ${spec.resource.name} utilization`, () => resource(ctx, spec.resource?.name ?? '', spec.resource?.target ?? { type: 'Utilization' })) : invalid(spec);
    case 'ContainerResource': {
      const cr = spec.containerResource;
      if (!cr) return invalid(spec);
      return attempt(REASON_FAILED_GET_CONTAINER_RESOURCE_METRIC, `failed to get ${cr.name} container metric value`, () => resource(ctx, cr.name, cr.target, cr.container));
    }
    case 'Pods':
      return spec.pods ? attempt(REASON_FAILED_GET_PODS_METRIC, 'failed to get pods metric value', () => pods(ctx, spec)) : invalid(spec);
    case 'Object':
      return spec.object ? attempt(REASON_FAILED_GET_OBJECT_METRIC, 'failed to get object metric value', () => object(ctx, spec)) : invalid(spec);
    case 'External':
      return {
        ok: false,
        reason: REASON_FAILED_GET_EXTERNAL_METRIC,
        error: `failed to get external metric value: external metric ${spec.external?.metric.name ?? ''} is not supported: this cluster serves no external.metrics.k8s.io API`,
      };
  }
}

function invalid(spec: DeepReadonly<MetricSpec>): MetricOutcome {
  return { ok: false, reason: REASON_INVALID_METRIC_SOURCE_TYPE, error: `invalid metric source type: ${spec.type} has no source set` };
}

async function attempt(reason: string, prefix: string, run: () => Promise<MetricOutcome>): Promise<MetricOutcome> {
  try {
    return await run();
  } catch (err) {
    return { ok: false, reason, error: `${prefix}: ${describe(err)}` };
  }
}

async function resource(ctx: MetricContext, name: string, target: MetricTarget, container?: string): Promise<MetricOutcome> {
  const metrics = await ctx.metrics.resourceMetric(name, ctx.namespace, ctx.selector, container);
  const type = container === undefined ? 'Resource' : 'ContainerResource';
  const wrap = (current: MetricStatus['resource'] & object): MetricStatus =>
    container === undefined ? { type, resource: current } : { type, containerResource: { ...current, container } };
  if (target.type === 'AverageValue' && target.averageValue !== undefined) {
    const r = getRawResourceReplicas({ currentReplicas: ctx.currentReplicas, targetAverageValue: milli(target.averageValue), resource: name, pods: ctx.pods(undefined), metrics }, ctx.opts);
    return { ok: true, replicas: r.replicas, status: wrap({ name, current: { averageValue: quantity(r.value) } }) };
  }
  if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither a utilization target nor a value target was set');
  const r = getResourceReplicas({ currentReplicas: ctx.currentReplicas, targetUtilization: target.averageUtilization, resource: name, pods: ctx.pods(name, container), metrics }, ctx.opts);
  return { ok: true, replicas: r.replicas, status: wrap({ name, current: { averageUtilization: r.utilization, averageValue: quantity(r.rawAverageValue) } }) };
}

async function pods(ctx: MetricContext, spec: DeepReadonly<MetricSpec>): Promise<MetricOutcome> {
  const p = spec.pods;
  if (!p) return invalid(spec);
  const metrics = await ctx.metrics.podsMetric(p.metric.name, ctx.namespace, ctx.selector);
  const r = getMetricReplicas({ currentReplicas: ctx.currentReplicas, targetAverageValue: milli(p.target.averageValue), pods: ctx.pods(undefined), metrics }, ctx.opts);
  return { ok: true, replicas: r.replicas, status: { type: 'Pods', pods: { metric: mutableCopy(p.metric), current: { averageValue: quantity(r.value) } } } };
}

async function object(ctx: MetricContext, spec: DeepReadonly<MetricSpec>): Promise<MetricOutcome> {
  const o = spec.object;
  if (!o) return invalid(spec);
  const mapping = await ctx.mapper.resolve(o.describedObject.apiVersion ?? 'v1', o.describedObject.kind);
  const read = await ctx.metrics.objectMetric(o.metric.name, ctx.namespace, { plural: mapping.resource.plural, name: o.describedObject.name });
  const base = { describedObject: mutableCopy(o.describedObject), metric: mutableCopy(o.metric) };
  if (o.target.type === 'AverageValue') {
    const r = getObjectPerPodMetricReplicas({ statusReplicas: ctx.statusReplicas, targetAverageValue: milli(o.target.averageValue), value: read.value }, ctx.opts);
    return { ok: true, replicas: r.replicas, status: { type: 'Object', object: { ...base, current: { averageValue: quantity(r.value) } } }, timestampMs: read.timestampMs };
  }
  const r = getObjectMetricReplicas({ currentReplicas: ctx.currentReplicas, targetValue: milli(o.target.value), value: read.value, pods: ctx.pods(undefined) }, ctx.opts);
  return { ok: true, replicas: r.replicas, status: { type: 'Object', object: { ...base, current: { value: quantity(r.value) } } }, timestampMs: read.timestampMs };
}
