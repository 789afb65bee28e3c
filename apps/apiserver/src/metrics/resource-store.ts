// The resource metrics store: the two latest points of every node and container, from which
// NodeMetrics and PodMetrics usage is computed on request (metrics-server's pkg/storage).
//
// Each scrape round replaces the store with what that round returned, so a node whose scrape
// failed, a node that is gone, a pod that is gone and a container that stopped all drop out at
// once: stale data is never served. A point's predecessor is kept only when it belongs to the same
// counter: the container started before the stored point was read (not restarted since), and the
// new reading is newer (a kubelet answering from the same reading twice keeps the older pair).
//
// Usage = the CPU rate between the two points (rate.ts) and the latest working set. A pod is
// answered only when every one of its containers has a rate, as metrics-server does: a partial
// pod would under-report to the HPA.
import { cumulativeRate } from './rate.js';
import type { NodeScrape, ResourcePoint } from './resource-samples.js';

export interface Usage {
  /** Cores. */
  cpu: number;
  memoryBytes: number;
}

export interface UsageWindow {
  /** When the newer reading was taken (ms since the epoch). */
  timestampMs: number;
  /** Time between the two readings, in ms. */
  windowMs: number;
}

export interface NodeUsage extends UsageWindow {
  usage: Usage;
}

export interface PodUsage extends UsageWindow {
  containers: { name: string; usage: Usage }[];
}

interface Pair {
  last: ResourcePoint;
  prev?: ResourcePoint;
}

/** The predecessor the new point keeps, per the rules in the header. */
function predecessor(point: ResourcePoint, old: Pair | undefined): ResourcePoint | undefined {
  if (!old) return undefined;
  if (point.startTimeMs !== undefined && point.startTimeMs > old.last.timestampMs) return undefined;
  if (point.timestampMs > old.last.timestampMs) return old.last;
  if (old.prev && old.prev.timestampMs < point.timestampMs) return old.prev;
  return undefined;
}

function advance(point: ResourcePoint, old: Pair | undefined): Pair {
  const prev = predecessor(point, old);
  return prev ? { last: point, prev } : { last: point };
}

function usageOf(pair: Pair): NodeUsage | undefined {
  if (!pair.prev) return undefined;
  const rate = cumulativeRate({ timestampMs: pair.prev.timestampMs, value: pair.prev.cpuSeconds }, { timestampMs: pair.last.timestampMs, value: pair.last.cpuSeconds });
  if (!rate) return undefined;
  return { timestampMs: pair.last.timestampMs, windowMs: rate.windowMs, usage: { cpu: rate.perSecond, memoryBytes: pair.last.memoryBytes } };
}

export class ResourceMetricsStore {
  private nodes = new Map<string, Pair>();
  /** `namespace/pod` → container → pair. */
  private pods = new Map<string, Map<string, Pair>>();

  /** Replaces the store with one scrape round: node name → what its kubelet reported. */
  store(round: ReadonlyMap<string, NodeScrape>): void {
    const nodes = new Map<string, Pair>();
    const pods = new Map<string, Map<string, Pair>>();
    for (const [nodeName, scrape] of round) {
      if (scrape.node) nodes.set(nodeName, advance(scrape.node, this.nodes.get(nodeName)));
      for (const [key, containers] of scrape.pods) {
        // A pod reported by two kubelets (moved between rounds) keeps the first report.
        if (pods.has(key)) continue;
        const old = this.pods.get(key);
        const pairs = new Map<string, Pair>();
        for (const [name, point] of containers) pairs.set(name, advance(point, old?.get(name)));
        pods.set(key, pairs);
      }
    }
    this.nodes = nodes;
    this.pods = pods;
  }

  node(name: string): NodeUsage | undefined {
    const pair = this.nodes.get(name);
    return pair ? usageOf(pair) : undefined;
  }

  /** The pod's usage, or undefined unless every container has a rate. */
  pod(namespace: string, name: string): PodUsage | undefined {
    const pairs = this.pods.get(`${namespace}/${name}`);
    if (!pairs || pairs.size === 0) return undefined;
    const containers: PodUsage['containers'] = [];
    let window: UsageWindow | undefined;
    let earliestPrev = Infinity;
    for (const [container, pair] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
      const u = usageOf(pair);
      if (!u || !pair.prev) return undefined;
      containers.push({ name: container, usage: u.usage });
      // The pod's window is that of the container read earliest, as metrics-server reports it.
      if (pair.prev.timestampMs < earliestPrev) {
        earliestPrev = pair.prev.timestampMs;
        window = { timestampMs: u.timestampMs, windowMs: u.windowMs };
      }
    }
    return window ? { ...window, containers } : undefined;
  }
}
