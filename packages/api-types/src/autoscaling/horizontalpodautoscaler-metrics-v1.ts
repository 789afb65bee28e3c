// autoscaling/v1's MetricSpec and MetricStatus: the shapes in which an autoscaling/v1 HPA carries
// the metrics it cannot express in its own fields, inside the annotations
// `autoscaling.alpha.kubernetes.io/metrics` and `.../current-metrics` (k8s.io/api/autoscaling/v1
// types.go, the older v2beta1 layout: `metricName`, `targetAverageValue`, `currentValue`, ...),
// and the conversions from and to autoscaling/v2's (pkg/apis/autoscaling/v1/conversion.go).
//
// Each source is a flat v1 object whose fields map one to one onto v2 paths (FIELDS below); the
// only thing not carried is v2's target `type`, which v1 implies by which target field is set.
//
// Deviation, for lossless round trips: a quantity v2 leaves unset is left out here, where Kubernetes
// writes the zero quantity "0" for its non-pointer fields (and reads it back as a set value).
import type { LabelSelector } from '../meta/v1.js';
import type { Quantity } from '../quantity.js';
import type { CrossVersionObjectReference, MetricSourceType, MetricSpec, MetricStatus, MetricTarget } from './horizontalpodautoscaler.js';

interface ResourceSourceV1 {
  name: string;
  targetAverageUtilization?: number;
  targetAverageValue?: Quantity;
}

export interface MetricSpecV1 {
  type: MetricSourceType;
  object?: { target: CrossVersionObjectReference; metricName: string; targetValue?: Quantity; selector?: LabelSelector; averageValue?: Quantity };
  pods?: { metricName: string; targetAverageValue?: Quantity; selector?: LabelSelector };
  resource?: ResourceSourceV1;
  containerResource?: ResourceSourceV1 & { container: string };
  external?: { metricName: string; metricSelector?: LabelSelector; targetValue?: Quantity; targetAverageValue?: Quantity };
}

interface ResourceStatusV1 {
  name: string;
  currentAverageUtilization?: number;
  currentAverageValue?: Quantity;
}

export interface MetricStatusV1 {
  type: MetricSourceType;
  object?: { target: CrossVersionObjectReference; metricName: string; currentValue?: Quantity; selector?: LabelSelector; averageValue?: Quantity };
  pods?: { metricName: string; currentAverageValue?: Quantity; selector?: LabelSelector };
  resource?: ResourceStatusV1;
  containerResource?: ResourceStatusV1 & { container: string };
  external?: { metricName: string; metricSelector?: LabelSelector; currentValue?: Quantity; currentAverageValue?: Quantity };
}

type Source = 'object' | 'pods' | 'resource' | 'containerResource' | 'external';
const SOURCES: readonly Source[] = ['object', 'pods', 'resource', 'containerResource', 'external'];
type Json = Record<string, unknown>;
/** `[v1 field, v2 path]` of one source. */
type FieldMap = ReadonlyArray<readonly [string, string]>;

const METRIC: FieldMap = [
  ['metricName', 'metric.name'],
  ['selector', 'metric.selector'],
];

/** Where each v1 field of a metric source goes in v2's MetricSpec source. */
const SPEC_FIELDS: Readonly<Record<Source, FieldMap>> = {
  object: [['target', 'describedObject'], ...METRIC, ['targetValue', 'target.value'], ['averageValue', 'target.averageValue']],
  pods: [...METRIC, ['targetAverageValue', 'target.averageValue']],
  resource: [['name', 'name'], ['targetAverageUtilization', 'target.averageUtilization'], ['targetAverageValue', 'target.averageValue']],
  containerResource: [['name', 'name'], ['container', 'container'], ['targetAverageUtilization', 'target.averageUtilization'], ['targetAverageValue', 'target.averageValue']],
  external: [['metricName', 'metric.name'], ['metricSelector', 'metric.selector'], ['targetValue', 'target.value'], ['targetAverageValue', 'target.averageValue']],
};

/** Where each v1 field of a metric status goes in v2's MetricStatus source. */
const STATUS_FIELDS: Readonly<Record<Source, FieldMap>> = {
  object: [['target', 'describedObject'], ...METRIC, ['currentValue', 'current.value'], ['averageValue', 'current.averageValue']],
  pods: [...METRIC, ['currentAverageValue', 'current.averageValue']],
  resource: [['name', 'name'], ['currentAverageUtilization', 'current.averageUtilization'], ['currentAverageValue', 'current.averageValue']],
  containerResource: [['name', 'name'], ['container', 'container'], ['currentAverageUtilization', 'current.averageUtilization'], ['currentAverageValue', 'current.averageValue']],
  external: [['metricName', 'metric.name'], ['metricSelector', 'metric.selector'], ['currentValue', 'current.value'], ['currentAverageValue', 'current.averageValue']],
};

/** v2's target type, from which of v1's target fields is set (as Kubernetes reads it). */
const TARGET_TYPE: Readonly<Record<Source, (v1: Json) => MetricTarget['type']>> = {
  object: (s) => (s.averageValue === undefined ? 'Value' : 'AverageValue'),
  pods: () => 'AverageValue',
  resource: (s) => (s.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization'),
  containerResource: (s) => (s.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization'),
  external: (s) => (s.targetValue === undefined ? 'AverageValue' : 'Value'),
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function getPath(obj: Json, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.')) v = isObject(v) ? v[key] : undefined;
  return v;
}

function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let at = obj;
  for (const key of keys) {
    const next = isObject(at[key]) ? (at[key] as Json) : {};
    at[key] = next;
    at = next;
  }
  at[last] = value;
}

/** v2 source → flat v1 source; unset fields are left out. */
function flatten(source: Json, fields: FieldMap): Json {
  const out: Json = {};
  for (const [v1, v2] of fields) {
    const value = getPath(source, v2);
    if (value !== undefined) out[v1] = value;
  }
  return out;
}

/** Flat v1 source → v2 source; a metric always has its identifier's name, as Go's struct does. */
function nest(source: Json, fields: FieldMap): Json {
  const out: Json = {};
  for (const [v1, v2] of fields) if (source[v1] !== undefined) setPath(out, v2, source[v1]);
  if (fields.some(([, v2]) => v2 === 'metric.name')) setPath(out, 'metric.name', getPath(out, 'metric.name') ?? '');
  return out;
}

/** Converts each source present on `m`: `convert(source, name)` builds the other version's. */
function convertSources(m: { type: MetricSourceType }, convert: (source: Json, name: Source) => Json): Json {
  const out: Json = { type: m.type };
  for (const name of SOURCES) {
    const source = (m as Json)[name];
    if (isObject(source)) out[name] = convert(source, name);
  }
  return out;
}

export function metricSpecToV1(m: MetricSpec): MetricSpecV1 {
  return convertSources(m, (s, name) => flatten(s, SPEC_FIELDS[name])) as unknown as MetricSpecV1;
}

export function metricSpecFromV1(m: MetricSpecV1): MetricSpec {
  return convertSources(m, (s, name) => {
    const out = nest(s, SPEC_FIELDS[name]);
    out.target = { type: TARGET_TYPE[name](s), ...(isObject(out.target) ? out.target : {}) };
    return out;
  }) as unknown as MetricSpec;
}

export function metricStatusToV1(m: MetricStatus): MetricStatusV1 {
  return convertSources(m, (s, name) => flatten(s, STATUS_FIELDS[name])) as unknown as MetricStatusV1;
}

export function metricStatusFromV1(m: MetricStatusV1): MetricStatus {
  return convertSources(m, (s, name) => {
    const out = nest(s, STATUS_FIELDS[name]);
    out.current = isObject(out.current) ? out.current : {};
    return out;
  }) as unknown as MetricStatus;
}
