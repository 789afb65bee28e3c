// The list kinds of the metrics APIs (NodeMetricsList, PodMetricsList, MetricValueList): one shape,
// apiVersion and kind fixed, list metadata, the items.
import { Type, type TSchema } from '@sinclair/typebox';
import { ListMeta } from '../meta/v1.js';

export function metricsList<V extends string, K extends string, T extends TSchema>(apiVersion: V, kind: K, item: T) {
  return Type.Object({ apiVersion: Type.Literal(apiVersion), kind: Type.Literal(kind), metadata: ListMeta, items: Type.Array(item) });
}
