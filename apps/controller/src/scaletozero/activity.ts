// Reads a Deployment's request activity: the `http_requests_per_second` custom metric of its pods
// (the apiserver computes it from the proxies' kite_proxy_endpoint_requests_total counters):
//   GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/NS/pods/*/http_requests_per_second?labelSelector=SEL
//
// Contract:
// - 200: the sum of the pods' values (`rate`).
// - 404: either the metric has no data for these pods (no request counted in its window: `noData`)
//   or the API itself is not served. The group's discovery document tells them apart: when
//   /apis/custom.metrics.k8s.io/v1beta2 is missing too, the answer is `unknown` — with no way to
//   see requests, nothing is ever found idle.
// - Any other failure: `unknown`, with the reason for the Event.
import { CUSTOM_METRICS_GROUP, CUSTOM_METRICS_VERSION, HTTP_REQUESTS_PER_SECOND, tryParseQuantity, type MetricValueList } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { KubeClient } from '@kite/client';
import type { Activity } from './decide.js';

const GROUP_PATH = `/apis/${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION}`;
const HTTP_NOT_FOUND = 404;

/** Reads the activity of the pods `labelSelector` selects in `namespace`. */
export type ActivityReader = (namespace: string, labelSelector: string) => Promise<Activity>;

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const notFound = (err: unknown) => isApiError(err) && err.code === HTTP_NOT_FOUND;

export function customMetricsActivity(client: Pick<KubeClient, 'raw'>): ActivityReader {
  return async (namespace, labelSelector) => {
    const path = `${GROUP_PATH}/namespaces/${encodeURIComponent(namespace)}/pods/*/${HTTP_REQUESTS_PER_SECOND}?labelSelector=${encodeURIComponent(labelSelector)}`;
    try {
      const list = (await client.raw('GET', path)) as Partial<MetricValueList>;
      const perSecond = (list.items ?? []).reduce((sum, item) => sum + (tryParseQuantity(item.value) ?? 0), 0);
      return { kind: 'rate', perSecond };
    } catch (err) {
      if (!notFound(err)) return { kind: 'unknown', reason: `reading ${HTTP_REQUESTS_PER_SECOND}: ${describe(err)}` };
    }
    try {
      await client.raw('GET', GROUP_PATH);
      return { kind: 'noData' };
    } catch (err) {
      return { kind: 'unknown', reason: notFound(err) ? `${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION} is not served, so requests cannot be seen` : `reading ${GROUP_PATH}: ${describe(err)}` };
    }
  };
}
