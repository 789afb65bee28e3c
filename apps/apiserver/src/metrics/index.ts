// The metrics APIs the apiserver serves itself, instead of through an aggregated metrics-server:
// metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) and custom.metrics.k8s.io/v1beta2
// (http_requests_per_second), both answered from memory, filled by one scrape loop. This wires
// the object caches, the scraper, the stores and the two APIs; `stop` ends the loop and informers.
import type { Logger } from '@kite/component-base';
import type { KubeletClientTls } from '../http/pod-logs.js';
import type { RestStorage } from '../registry/rest.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { CustomMetricsApi } from './custom-metrics-api.js';
import { ClusterObjects } from './object-cache.js';
import { RequestRateStore } from './request-store.js';
import { ResourceMetricsApi } from './resource-metrics-api.js';
import { ResourceMetricsStore } from './resource-store.js';
import { httpScrapeClient } from './scrape-client.js';
import { Scraper } from './scraper.js';

export { DEFAULT_METRIC_RESOLUTION_MS, DEFAULT_PROXY_METRICS_PORT } from './scraper.js';
export { CUSTOM_METRICS_PREFIX } from './custom-metrics-api.js';
export type { CustomMetricsApi } from './custom-metrics-api.js';
export { customMetricsResourceList } from './discovery.js';

export interface MetricsOptions {
  /** `--metric-resolution` in ms. */
  resolutionMs: number;
  /** `--proxy-metrics-port`; 0 turns the request-rate metric off. */
  proxyPort: number;
  kubeletClient?: KubeletClientTls;
  log: Logger;
}

export interface MetricsApis {
  resource: ResourceMetricsApi;
  custom: CustomMetricsApi;
  stop(): Promise<void>;
}

export async function startMetricsApis(rest: RestStorage, cache: WatchCache, opts: MetricsOptions): Promise<MetricsApis> {
  const objects = new ClusterObjects(rest, cache);
  await objects.start();
  const resources = new ResourceMetricsStore();
  const requests = new RequestRateStore();
  const scraper = new Scraper({
    nodes: () => objects.nodes.list(''),
    client: httpScrapeClient(opts.kubeletClient),
    resolutionMs: opts.resolutionMs,
    proxyPort: opts.proxyPort,
    resources,
    requests,
    log: opts.log,
  });
  scraper.start();
  return {
    resource: new ResourceMetricsApi(objects, resources),
    custom: new CustomMetricsApi(objects, requests),
    stop: async () => {
      await scraper.stop();
      objects.stop();
    },
  };
}
