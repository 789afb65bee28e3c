// The scrape loop: every --metric-resolution it reads every node's kubelet /metrics/resource and
// (unless --proxy-metrics-port is 0) its proxy /metrics, all nodes in parallel, each read bounded
// by a timeout of 90% of the resolution (as metrics-server bounds its scrapes), and stores the
// round whole (resource-store.ts, request-store.ts). A node that fails, times out or answers
// malformed text is left out of that round; it cannot hold up or spoil the others.
//
// Which nodes: those in the apiserver's own Node cache (object-cache.ts), at their InternalIP and
// status.daemonEndpoints.kubeletEndpoint.Port. Several apiservers sharing one Redis each run this
// loop on their own and serve from their own memory, as several metrics-server replicas would:
// their answers may differ by up to one resolution, never by more.
import type { Logger } from '@kite/component-base';
import type { Node } from '@kite/api-types';
import { parsePrometheusText } from './prometheus-text.js';
import { decodeResourceMetrics, type NodeScrape } from './resource-samples.js';
import { decodeProxyMetrics, type ProxyScrape, type RequestRateStore } from './request-store.js';
import type { ResourceMetricsStore } from './resource-store.js';
import type { ScrapeClient } from './scrape-client.js';

/** metrics-server's default resolution. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;
/** The proxy's default /metrics port (its --port, as kube-proxy's healthz port). */
export const DEFAULT_PROXY_METRICS_PORT = 10256;
/** The kubelet port when a Node does not report one (Kubernetes' default). */
const DEFAULT_KUBELET_PORT = 10250;
/** A scrape may take this share of the resolution before it is abandoned. */
const SCRAPE_TIMEOUT_SHARE = 0.9;

export interface ScraperOptions {
  /** The nodes to scrape now. */
  nodes: () => readonly Node[];
  client: ScrapeClient;
  resolutionMs: number;
  /** Port of each node's proxy /metrics; 0 turns proxy scraping off. */
  proxyPort: number;
  resources: ResourceMetricsStore;
  requests: RequestRateStore;
  log: Logger;
  now?: () => number;
}

interface Target {
  node: string;
  address: string;
  kubeletPort: number;
}

function targetOf(node: Node): Target | undefined {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const name = node.metadata.name;
  if (!address || !name) return undefined;
  return { node: name, address, kubeletPort: node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? DEFAULT_KUBELET_PORT };
}

export class Scraper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Targets (`kubelet/NODE`, `proxy/NODE`) whose last scrape failed: logged once per failure spell. */
  private readonly failing = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly opts: ScraperOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Scrapes now, then every resolution (a round that overruns is followed at once by the next). */
  start(): void {
    const loop = () => {
      if (this.stopped) return;
      const began = this.now();
      this.running = this.scrapeOnce().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, Math.max(0, began + this.opts.resolutionMs - this.now()));
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round over every node; never throws. */
  async scrapeOnce(): Promise<void> {
    const targets = this.opts.nodes().map(targetOf).filter((t): t is Target => t !== undefined);
    const timeoutMs = Math.max(1, Math.floor(this.opts.resolutionMs * SCRAPE_TIMEOUT_SHARE));
    const [kubelets, proxies] = await Promise.all([
      Promise.all(targets.map((t) => this.scrapeKubelet(t, timeoutMs))),
      this.opts.proxyPort > 0 ? Promise.all(targets.map((t) => this.scrapeProxy(t, timeoutMs))) : Promise.resolve([]),
    ]);
    this.opts.resources.store(new Map(kubelets.filter((e): e is [string, NodeScrape] => e !== undefined)));
    if (this.opts.proxyPort > 0) this.opts.requests.store(new Map(proxies.filter((e): e is [string, ProxyScrape] => e !== undefined)));
  }

  private async scrapeKubelet(t: Target, timeoutMs: number): Promise<[string, NodeScrape] | undefined> {
    return this.attempt(`kubelet/${t.node}`, async () => {
      const text = await this.opts.client.kubeletResource(t.address, t.kubeletPort, timeoutMs);
      return [t.node, decodeResourceMetrics(parsePrometheusText(text), this.now())];
    });
  }

  private async scrapeProxy(t: Target, timeoutMs: number): Promise<[string, ProxyScrape] | undefined> {
    return this.attempt(`proxy/${t.node}`, async () => {
      const text = await this.opts.client.proxyMetrics(t.address, this.opts.proxyPort, timeoutMs);
      return [t.node, decodeProxyMetrics(parsePrometheusText(text), this.now())];
    });
  }

  private async attempt<T>(target: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      const out = await read();
      if (this.failing.delete(target)) this.opts.log.info({ target }, 'metrics scrape recovered');
      return out;
    } catch (err) {
      if (!this.failing.has(target)) this.opts.log.warn({ target, err: (err as Error).message }, 'metrics scrape failed');
      this.failing.add(target);
      return undefined;
    }
  }
}
