// custom.metrics.k8s.io/v1beta2, the paths the custom metrics API defines, for the one metric
// the proxies feed (common interface 3):
//   /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/pods/*/http_requests_per_second?labelSelector=...
//   /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/pods/NAME/http_requests_per_second
//   /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/services/NAME/http_requests_per_second  (also services/*)
// Every answer is a MetricValueList, one item for a named object, as custom-metrics-apiserver
// answers (the HPA reads items[0]).
//
// Which objects have a value: a Pod or Service that exists (object-cache.ts) once the proxies have
// been scraped twice (request-store.ts); a Running pod, or a Service, that no proxy forwarded to
// has 0 — the proxies count every request, so silence is a measured zero, which is what scale to
// zero needs. A pod not yet running and unreported has no value. An unknown metric, a missing
// object or a metric with no data yet: 404 NotFound, worded as the adapters word it.
import {
  CUSTOM_METRICS_GROUP,
  CUSTOM_METRICS_VERSION,
  HTTP_REQUESTS_PER_SECOND,
  PodResource,
  ServiceResource,
  type KubeObject,
  type MetricValue,
  type MetricValueList,
  type ResourceType,
} from '@kite/api-types';
import { ApiError, failureStatus, methodNotAllowed } from '@kite/apimachinery';
import { buildPredicate } from '../registry/selection.js';
import { pathNotFound } from '../http/paths.js';
import type { ClusterObjects } from './object-cache.js';
import type { RequestRateStore } from './request-store.js';
import { milliQuantity } from './quantities.js';
import { rfc3339 } from './resource-metrics-api.js';

const API_VERSION = `${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION}` as const;
/** The path every custom metrics request starts with. */
export const CUSTOM_METRICS_PREFIX = `/apis/${API_VERSION}/`;
/** The metrics this apiserver serves (for pods and services alike). */
export const CUSTOM_METRICS = [HTTP_REQUESTS_PER_SECOND] as const;
const ANY_NAME = '*';

/** What a custom metrics path asks for. */
export interface MetricQuery {
  namespace: string;
  /** `pods` or `services`. */
  resource: string;
  /** An object name, or `*` for every object the labelSelector admits. */
  name: string;
  metric: string;
}

/** Parses `namespaces/NS/RESOURCE/NAME/METRIC` after the prefix; undefined for any other shape. */
export function parseMetricPath(url: string): MetricQuery | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(CUSTOM_METRICS_PREFIX)) return undefined;
  let segs: string[];
  try {
    segs = path.slice(CUSTOM_METRICS_PREFIX.length).split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const [ns, namespace, resource, name, metric, ...extra] = segs;
  if (ns !== 'namespaces' || !namespace || !resource || !name || !metric || extra.length > 0) return undefined;
  return { namespace, resource, name, metric };
}

function metricNotFound(q: MetricQuery): ApiError {
  const forWhat = q.name === ANY_NAME ? q.resource : `${q.resource} ${q.name}`;
  return new ApiError(
    failureStatus(404, 'NotFound', `the server could not find the metric ${q.metric} for ${forWhat}`, {
      group: CUSTOM_METRICS_GROUP,
      kind: q.resource,
      ...(q.name !== ANY_NAME ? { name: q.name } : {}),
    }),
  );
}

interface Kind {
  rt: ResourceType;
  objects: (c: ClusterObjects, ns: string) => readonly KubeObject[];
  get: (c: ClusterObjects, ns: string, name: string) => KubeObject | undefined;
  rate: (r: RequestRateStore, ns: string, name: string) => number | undefined;
  /** Whether an existing object with no reported requests has a measured 0. */
  zeroWhenUnreported: (obj: KubeObject) => boolean;
}

const KINDS: Readonly<Record<string, Kind>> = {
  pods: {
    rt: PodResource as unknown as ResourceType,
    objects: (c, ns) => c.pods.list(ns),
    get: (c, ns, name) => c.pods.get(ns, name),
    rate: (r, ns, name) => r.pod(ns, name),
    zeroWhenUnreported: (obj) => (obj as { status?: { phase?: string } }).status?.phase === 'Running',
  },
  services: {
    rt: ServiceResource as unknown as ResourceType,
    objects: (c, ns) => c.services.list(ns),
    get: (c, ns, name) => c.services.get(ns, name),
    rate: (r, ns, name) => r.service(ns, name),
    zeroWhenUnreported: () => true,
  },
};

export class CustomMetricsApi {
  constructor(
    private readonly objects: ClusterObjects,
    private readonly rates: RequestRateStore,
  ) {}

  /** Answers one request; throws ApiError for anything but a value list. */
  serve(method: string, url: string, query: Record<string, string | undefined>): MetricValueList {
    const q = parseMetricPath(url);
    if (!q) throw pathNotFound();
    const kind = KINDS[q.resource];
    if (method !== 'GET') throw methodNotAllowed({ group: CUSTOM_METRICS_GROUP, plural: q.resource }, method.toLowerCase());
    if (!kind || !(CUSTOM_METRICS as readonly string[]).includes(q.metric)) throw metricNotFound(q);
    const window = this.rates.window;
    if (!window) throw metricNotFound(q);
    const valueOf = (obj: KubeObject): MetricValue | undefined => {
      const name = obj.metadata.name ?? '';
      const rate = kind.rate(this.rates, q.namespace, name) ?? (kind.zeroWhenUnreported(obj) ? 0 : undefined);
      if (rate === undefined) return undefined;
      return {
        describedObject: { kind: kind.rt.kind, namespace: q.namespace, name, apiVersion: kind.rt.apiVersion },
        metric: { name: q.metric },
        timestamp: rfc3339(window.timestampMs),
        windowSeconds: Math.max(1, Math.round(window.windowMs / 1000)),
        value: milliQuantity(rate),
      };
    };
    const list = (items: MetricValue[]): MetricValueList => ({ apiVersion: API_VERSION, kind: 'MetricValueList', metadata: {}, items });
    if (q.name !== ANY_NAME) {
      const obj = kind.get(this.objects, q.namespace, q.name);
      const value = obj && valueOf(obj);
      if (!value) throw metricNotFound(q);
      return list([value]);
    }
    const admit = buildPredicate(kind.rt, query.labelSelector) ?? (() => true);
    const items = kind.objects(this.objects, q.namespace)
      .filter(admit)
      .map(valueOf)
      .filter((v): v is MetricValue => v !== undefined)
      .sort((a, b) => a.describedObject.name.localeCompare(b.describedObject.name));
    return list(items);
  }
}
