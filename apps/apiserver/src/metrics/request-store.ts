// Per-pod and per-Service request rates from the proxies' counters (common interface 2):
//   kite_proxy_endpoint_requests_total{namespace="default",service="web",pod="web-1"} 42
// Every node's proxy counts the requests it forwarded, so a pod's rate is the sum over all
// proxies (and over the Services that reach it) of each proxy's own rate, each computed from two
// scrapes of that proxy (rate.ts counterRate: a new series counted from zero, a reset counts
// what it holds). A Service's rate sums its series over pods and proxies.
//
// Like the resource store, each round replaces the last: a proxy that failed to answer (or whose
// node is gone) contributes nothing until it has been scraped twice again, and a pod no proxy
// reports drops out. Requests to endpoints without a targetRef (pod="") count for the Service only.
import { counterRate } from './rate.js';
import type { PromSample } from './prometheus-text.js';

export const PROXY_REQUESTS_METRIC = 'kite_proxy_endpoint_requests_total';

/** One proxy scrape: when it was answered, and its counters by `namespace/service/pod`. */
export interface ProxyScrape {
  timeMs: number;
  counters: Map<string, number>;
}

const seriesKey = (namespace: string, service: string, pod: string) => JSON.stringify([namespace, service, pod]);

/** The proxy counters of one exposition, summed per series (a Service's ports share a series). */
export function decodeProxyMetrics(samples: readonly PromSample[], timeMs: number): ProxyScrape {
  const counters = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== PROXY_REQUESTS_METRIC) continue;
    const { namespace, service, pod } = s.labels;
    if (!namespace || !service) continue;
    const key = seriesKey(namespace, service, pod ?? '');
    counters.set(key, (counters.get(key) ?? 0) + s.value);
  }
  return { timeMs, counters };
}

export class RequestRateStore {
  private last = new Map<string, ProxyScrape>();
  private byPod = new Map<string, number>();
  private byService = new Map<string, number>();
  private latest: { timestampMs: number; windowMs: number } | undefined;

  /** Replaces the store with one round: node name → its proxy's scrape. */
  store(round: ReadonlyMap<string, ProxyScrape>): void {
    const byPod = new Map<string, number>();
    const byService = new Map<string, number>();
    let window: RequestRateStore['latest'];
    for (const [node, scrape] of round) {
      const prev = this.last.get(node);
      if (!prev || scrape.timeMs <= prev.timeMs) continue;
      const windowMs = scrape.timeMs - prev.timeMs;
      window = { timestampMs: Math.max(window?.timestampMs ?? 0, scrape.timeMs), windowMs: Math.max(window?.windowMs ?? 0, windowMs) };
      for (const [key, value] of scrape.counters) {
        const rate = counterRate(prev.counters.get(key), value, windowMs);
        const [namespace, service, pod] = JSON.parse(key) as [string, string, string];
        add(byService, `${namespace}/${service}`, rate);
        if (pod !== '') add(byPod, `${namespace}/${pod}`, rate);
      }
    }
    this.last = new Map(round);
    this.byPod = byPod;
    this.byService = byService;
    this.latest = window;
  }

  /**
   * When the rates were computed (the newest scrape) and over how long (the longest window);
   * undefined until some proxy has been scraped twice in a row: until then no rate is known.
   */
  get window(): { timestampMs: number; windowMs: number } | undefined {
    return this.latest;
  }

  /** Requests per second to the pod over all proxies; undefined when no proxy reported it. */
  pod(namespace: string, name: string): number | undefined {
    return this.byPod.get(`${namespace}/${name}`);
  }

  /** Requests per second to the Service over all its pods and proxies; undefined when unreported. */
  service(namespace: string, name: string): number | undefined {
    return this.byService.get(`${namespace}/${name}`);
  }
}

function add(m: Map<string, number>, key: string, v: number): void {
  m.set(key, (m.get(key) ?? 0) + v);
}
