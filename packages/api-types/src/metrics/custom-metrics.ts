// custom.metrics.k8s.io/v1beta2: per-object metric values, as the custom metrics API
// (k8s.io/metrics/pkg/apis/custom_metrics/v1beta2) defines them. The apiserver computes them on
// request from its latest scrapes; nothing is stored. The paths do not follow the object layout
// (`/namespaces/NS/pods/*/METRIC`, `/namespaces/NS/services/NAME/METRIC`), so the group is not a
// registry entry: the apiserver routes it itself and answers a MetricValueList for every query.
import { Type, type Static } from '@sinclair/typebox';
import { MetricIdentifier } from '../autoscaling/horizontalpodautoscaler.js';
import { Quantity } from '../quantity.js';
import { metricsList } from './list.js';

export const CUSTOM_METRICS_GROUP = 'custom.metrics.k8s.io';
export const CUSTOM_METRICS_VERSION = 'v1beta2';
const CUSTOM_METRICS_API_VERSION = `${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION}`;

/** The custom metric the proxies' request counters feed: requests per second per pod. */
export const HTTP_REQUESTS_PER_SECOND = 'http_requests_per_second';

// MetricIdentifier ({name, selector}: a metric, and the label selector the value was restricted
// by) is the same type in autoscaling/v2 and the custom metrics API; it is defined once, beside
// the HorizontalPodAutoscaler that names it.

/** The object a value describes (a Pod, a Service, ...). */
export const DescribedObject = Type.Object({
  kind: Type.String(),
  namespace: Type.Optional(Type.String()),
  name: Type.String(),
  apiVersion: Type.String(),
});
export type DescribedObject = Static<typeof DescribedObject>;

export const MetricValue = Type.Object(
  {
    describedObject: DescribedObject,
    metric: MetricIdentifier,
    /** RFC 3339 time of the newer sample. */
    timestamp: Type.String(),
    /** Seconds between the two samples the rate was computed from. */
    windowSeconds: Type.Optional(Type.Integer()),
    /** The value as a Quantity string (`1500m` is 1.5 per second). */
    value: Quantity,
  },
  { description: 'The value of one metric for one object.' },
);
export type MetricValue = Static<typeof MetricValue>;

export const MetricValueList = metricsList(CUSTOM_METRICS_API_VERSION, 'MetricValueList', MetricValue);
export type MetricValueList = Static<typeof MetricValueList>;
