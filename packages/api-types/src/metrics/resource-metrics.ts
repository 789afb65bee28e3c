// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics: resource usage (CPU cores, memory working set)
// as metrics-server serves it. These kinds are computed, never stored: the apiserver derives them
// from its latest kubelet scrapes on every get or list (`readOnly` entries: verbs get and list,
// no watch, no writes). `timestamp` is when the newer of the two samples was taken and `window`
// the time between the two samples the CPU rate was computed from, as metrics-server reports them.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta } from '../meta/v1.js';
import { ResourceList } from '../quantity.js';
import { metricsList } from './list.js';

/** The group and version of the resource metrics API. */
export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** Usage of one container: `cpu` in cores (`250m`), `memory` in bytes (`12Mi`). */
export const ContainerMetrics = Type.Object({
  name: Type.String(),
  usage: ResourceList,
});
export type ContainerMetrics = Static<typeof ContainerMetrics>;

export const NodeMetrics = Type.Object(
  {
    apiVersion: Type.Literal(METRICS_API_VERSION),
    kind: Type.Literal('NodeMetrics'),
    metadata: ObjectMeta,
    /** RFC 3339 time of the sample the usage ends at. */
    timestamp: Type.String(),
    /** The interval the CPU rate covers, as a Go duration (`15.002s`). */
    window: Type.String(),
    usage: ResourceList,
  },
  { description: 'The resource usage of a node: CPU as a rate in cores over `window`, memory as the working set.' },
);
export type NodeMetrics = Static<typeof NodeMetrics>;

export const NodeMetricsList = metricsList(METRICS_API_VERSION, 'NodeMetricsList', NodeMetrics);
export type NodeMetricsList = Static<typeof NodeMetricsList>;

export const PodMetrics = Type.Object(
  {
    apiVersion: Type.Literal(METRICS_API_VERSION),
    kind: Type.Literal('PodMetrics'),
    metadata: ObjectMeta,
    timestamp: Type.String(),
    window: Type.String(),
    containers: Type.Array(ContainerMetrics),
  },
  { description: "The resource usage of a pod's containers: CPU as a rate in cores over `window`, memory as the working set." },
);
export type PodMetrics = Static<typeof PodMetrics>;

export const PodMetricsList = metricsList(METRICS_API_VERSION, 'PodMetricsList', PodMetrics);
export type PodMetricsList = Static<typeof PodMetricsList>;

export const NodeMetricsResource = defineResource<NodeMetrics>({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  kind: 'NodeMetrics',
  plural: 'nodes',
  namespaced: false,
  schema: NodeMetrics,
  readOnly: true,
});

export const PodMetricsResource = defineResource<PodMetrics>({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  kind: 'PodMetrics',
  plural: 'pods',
  namespaced: true,
  schema: PodMetrics,
  readOnly: true,
});
