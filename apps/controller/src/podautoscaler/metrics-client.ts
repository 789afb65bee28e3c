// MetricsClient: reads the metrics an HPA scales on from the apiserver's metrics APIs, as
// Kubernetes' REST metrics client (pkg/controller/podautoscaler/metrics/client.go) does:
//   Resource / ContainerResource  GET /apis/metrics.k8s.io/v1beta1/namespaces/NS/pods?labelSelector=SEL
//   Pods                          GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/pods/*/METRIC?labelSelector=SEL
//   Object                        GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/RESOURCE/NAME/METRIC
//
// Contract: answers samples in milli-units (calculator-types.ts) keyed by pod name, or the
// object's value; throws an Error whose message goes into the HPA's condition and Event
// (Kubernetes' wording: "unable to get metrics for resource cpu: no metrics returned from resource
// metrics API").
import {
  CUSTOM_METRICS_GROUP,
  CUSTOM_METRICS_VERSION,
  METRICS_GROUP,
  METRICS_VERSION,
  quantityMilliValue,
  type MetricValue,
  type MetricValueList,
  type PodMetricsList,
} from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import { parseDuration } from '../manager/duration.js';
import type { PodMetricSample, PodMetrics } from './calculator-types.js';

const RESOURCE_METRICS_PATH = `/apis/${METRICS_GROUP}/${METRICS_VERSION}`;
const CUSTOM_METRICS_PATH = `/apis/${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION}`;
/** Kubernetes' default when a custom metric carries no window (metricServerDefaultMetricWindow). */
const DEFAULT_METRIC_WINDOW_MS = 60_000;

const enc = encodeURIComponent;
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const timeMs = (t: string | undefined) => (t ? Date.parse(t) : NaN);

function windowMs(w: string | undefined): number {
  if (!w) return DEFAULT_METRIC_WINDOW_MS;
  try {
    return parseDuration('window', w);
  } catch {
    return DEFAULT_METRIC_WINDOW_MS;
  }
}

export interface ObjectRef {
  /** The REST plural of the described object (services, deployments, ...). */
  plural: string;
  name: string;
}

export class MetricsClient {
  private readonly client: Pick<KubeClient, 'raw'>;

  constructor(client: Pick<KubeClient, 'raw'>) {
    this.client = client;
  }

  /** CPU or memory per pod (sum over containers, or only `container`), as metrics-server reports it. */
  async resourceMetric(resource: string, namespace: string, selector: string, container?: string): Promise<PodMetrics> {
    let list: Partial<PodMetricsList>;
    try {
      list = (await this.client.raw('GET', `${RESOURCE_METRICS_PATH}/namespaces/${enc(namespace)}/pods?labelSelector=${enc(selector)}`)) as Partial<PodMetricsList>;
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${describe(err)}`);
    }
    const items = list.items ?? [];
    if (items.length === 0) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
    const out = new Map<string, PodMetricSample>();
    for (const pm of items) {
      const containers = container === undefined ? pm.containers : pm.containers.filter((c) => c.name === container);
      const usages = containers.map((c) => c.usage[resource]);
      if (containers.length === 0 || usages.some((u) => u === undefined)) continue;
      const value = usages.reduce((sum: number, u) => sum + quantityMilliValue(u ?? 0), 0);
      out.set(pm.metadata.name ?? '', { timestampMs: timeMs(pm.timestamp), windowMs: windowMs(pm.window), value });
    }
    return out;
  }

  /** A Pods metric per pod. */
  async podsMetric(metric: string, namespace: string, selector: string): Promise<PodMetrics> {
    const path = `${CUSTOM_METRICS_PATH}/namespaces/${enc(namespace)}/pods/*/${enc(metric)}?labelSelector=${enc(selector)}`;
    let list: Partial<MetricValueList>;
    try {
      list = (await this.client.raw('GET', path)) as Partial<MetricValueList>;
    } catch (err) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${describe(err)}`);
    }
    const items = list.items ?? [];
    if (items.length === 0) throw new Error(`no metrics returned from custom metrics API`);
    return new Map(items.map((m) => [m.describedObject.name, sampleOf(m)]));
  }

  /** An Object metric's value (milli-units) and its time. */
  async objectMetric(metric: string, namespace: string, ref: ObjectRef): Promise<{ value: number; timestampMs: number }> {
    const path = `${CUSTOM_METRICS_PATH}/namespaces/${enc(namespace)}/${enc(ref.plural)}/${enc(ref.name)}/${enc(metric)}`;
    let body: Partial<MetricValueList> | Partial<MetricValue>;
    try {
      body = (await this.client.raw('GET', path)) as Partial<MetricValueList> | Partial<MetricValue>;
    } catch (err) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${describe(err)}`);
    }
    const item = 'items' in body ? body.items?.[0] : (body as MetricValue);
    if (!item?.value) throw new Error(`no metrics returned from custom metrics API`);
    const s = sampleOf(item);
    return { value: s.value, timestampMs: s.timestampMs };
  }
}

function sampleOf(m: MetricValue): PodMetricSample {
  return { timestampMs: timeMs(m.timestamp), windowMs: m.windowSeconds !== undefined ? m.windowSeconds * 1000 : DEFAULT_METRIC_WINDOW_MS, value: quantityMilliValue(m.value) };
}
