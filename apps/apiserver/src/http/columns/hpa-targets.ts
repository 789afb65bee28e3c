// The TARGETS cell of `kubectl get hpa`: each metric's current reading and target, as Kubernetes'
// printers.go (formatHPAMetrics) prints them:
//   Resource / ContainerResource   `cpu: 12%/50%` (utilisation), `memory: 100Mi/200Mi` (average value)
//   Pods                           `3/10`
//   Object / External              `40/50`, or `4/5 (avg)` for an average-value target
// `<unknown>` before the controller has read a metric, `<none>` without metrics, and past two
// metrics `+ N more...`. A reading is taken from status.currentMetrics at the same index as its
// spec, as Kubernetes does (the controller writes them in spec order); a quantity Go would print
// from a nil pointer is `<nil>`. Quantities are printed in canonical form ('1000m' as '1').
import { canonicalQuantity, type HorizontalPodAutoscaler, type MetricSpec, type MetricStatus, type MetricTarget, type MetricValueStatus, type Quantity } from '@kite/api-types';
import { NONE, UNKNOWN } from './format.js';

/** Metrics shown before "+ N more...". */
const MAX_SHOWN = 2;
/** A utilisation target that is not set (Kubernetes' printer). */
const AUTO = '<auto>';
/** Go's `(*resource.Quantity)(nil).String()`. */
const NIL = '<nil>';
const UNKNOWN_TYPE = '<unknown type>';

function quantity(q: Quantity | undefined): string {
  if (q === undefined) return NIL;
  try {
    return canonicalQuantity(q);
  } catch {
    return String(q);
  }
}

/** `name: current/target` of a Resource or ContainerResource metric. */
function resourceMetric(name: string, target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) return `${name}: ${current ? quantity(current.averageValue) : UNKNOWN}/${quantity(target.averageValue)}`;
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : UNKNOWN;
  const goal = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : AUTO;
  return `${name}: ${now}/${goal}`;
}

/** `current/target` of an Object or External metric; ` (avg)` for an average-value target. */
function valueMetric(target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) {
    const now = current?.averageValue !== undefined ? quantity(current.averageValue) : UNKNOWN;
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  return `${current ? quantity(current.value) : UNKNOWN}/${quantity(target.value)}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'Resource':
      return spec.resource ? resourceMetric(spec.resource.name, spec.resource.target, status?.resource?.current) : UNKNOWN_TYPE;
    case 'ContainerResource':
      return spec.containerResource ? resourceMetric(spec.containerResource.name, spec.containerResource.target, status?.containerResource?.current) : UNKNOWN_TYPE;
    case 'Pods':
      return spec.pods ? `${status?.pods ? quantity(status.pods.current.averageValue) : UNKNOWN}/${quantity(spec.pods.target.averageValue)}` : UNKNOWN_TYPE;
    case 'Object':
      return spec.object ? valueMetric(spec.object.target, status?.object?.current) : UNKNOWN_TYPE;
    case 'External':
      return spec.external ? valueMetric(spec.external.target, status?.external?.current) : UNKNOWN_TYPE;
    default:
      return UNKNOWN_TYPE;
  }
}

/** The TARGETS column of an autoscaling/v2 HPA. */
export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return NONE;
  const statuses = hpa.status?.currentMetrics ?? [];
  const entries = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = entries.slice(0, MAX_SHOWN).join(', ');
  return entries.length > MAX_SHOWN ? `${shown} + ${entries.length - MAX_SHOWN} more...` : shown;
}
