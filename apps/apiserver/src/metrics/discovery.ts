// The discovery document of custom.metrics.k8s.io/v1beta2. Its paths do not follow the object
// layout, so it is not derived from the registry: each metric is listed as a subresource of the
// kinds it describes (`pods/http_requests_per_second`), kind MetricValueList, verb get, as the
// custom metrics adapters list theirs (kubectl skips such entries when mapping resources).
import { CUSTOM_METRICS_GROUP, CUSTOM_METRICS_VERSION } from '@kite/api-types';
import { CUSTOM_METRICS } from './custom-metrics-api.js';

/** The kinds each custom metric is served for. */
const DESCRIBED_RESOURCES = ['pods', 'services'];

export function customMetricsResourceList() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${CUSTOM_METRICS_GROUP}/${CUSTOM_METRICS_VERSION}`,
    resources: CUSTOM_METRICS.flatMap((metric) =>
      DESCRIBED_RESOURCES.map((resource) => ({ name: `${resource}/${metric}`, singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] })),
    ),
  };
}
