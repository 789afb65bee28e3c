// Turns one kubelet's /metrics/resource exposition (common interface 1, Kubernetes' resource
// metrics names) into points for the resource metrics store: the node's cumulative CPU and
// working set, and the same per container, keyed by `namespace/pod` then container name.
//
// As metrics-server decodes it: the CPU reading's own timestamp is the point's time (a rate must
// use the time the reading was taken, not when it was scraped; `fallbackMs` only when the
// exposition has none); a container is kept only with both its CPU and memory readings;
// container_start_time_seconds lets the store tell a restarted container from the same one.
// The pod_* totals are not used: a pod's usage is its containers', as metrics-server reports it.
import type { PromSample } from './prometheus-text.js';

export interface ResourcePoint {
  /** When the CPU reading was taken (ms since the epoch). */
  timestampMs: number;
  /** Cumulative core-seconds. */
  cpuSeconds: number;
  /** Working set in bytes at the reading. */
  memoryBytes: number;
  /** When the container started (ms since the epoch); unknown for a node. */
  startTimeMs?: number;
}

/** What one kubelet reported. */
export interface NodeScrape {
  node?: ResourcePoint;
  /** `namespace/pod` → container name → point. */
  pods: Map<string, Map<string, ResourcePoint>>;
}

const NODE_CPU = 'node_cpu_usage_seconds_total';
const NODE_MEMORY = 'node_memory_working_set_bytes';
const CONTAINER_CPU = 'container_cpu_usage_seconds_total';
const CONTAINER_MEMORY = 'container_memory_working_set_bytes';
const CONTAINER_START = 'container_start_time_seconds';

/** The `namespace/name` key of a pod. */
export const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

interface Readings {
  cpu?: number;
  timestampMs?: number;
  memory?: number;
  startTimeMs?: number;
}

function complete(p: Readings, fallbackMs: number): ResourcePoint | undefined {
  if (p.cpu === undefined || p.memory === undefined) return undefined;
  return { timestampMs: p.timestampMs ?? fallbackMs, cpuSeconds: p.cpu, memoryBytes: p.memory, ...(p.startTimeMs !== undefined ? { startTimeMs: p.startTimeMs } : {}) };
}

function record(p: Readings, s: PromSample, cpu: string, memory: string): void {
  if (s.name === cpu) {
    p.cpu = s.value;
    if (s.timestampMs !== undefined) p.timestampMs = s.timestampMs;
  } else if (s.name === memory) p.memory = s.value;
  else if (s.name === CONTAINER_START) p.startTimeMs = s.value * 1000;
}

export function decodeResourceMetrics(samples: readonly PromSample[], fallbackMs: number): NodeScrape {
  const node: Readings = {};
  const containers = new Map<string, Map<string, Readings>>();
  for (const s of samples) {
    if (s.name === NODE_CPU || s.name === NODE_MEMORY) {
      record(node, s, NODE_CPU, NODE_MEMORY);
      continue;
    }
    if (s.name !== CONTAINER_CPU && s.name !== CONTAINER_MEMORY && s.name !== CONTAINER_START) continue;
    const { namespace, pod, container } = s.labels;
    if (!namespace || !pod || !container) continue;
    const key = podKey(namespace, pod);
    let byName = containers.get(key);
    if (!byName) containers.set(key, (byName = new Map()));
    let p = byName.get(container);
    if (!p) byName.set(container, (p = {}));
    record(p, s, CONTAINER_CPU, CONTAINER_MEMORY);
  }
  const pods = new Map<string, Map<string, ResourcePoint>>();
  for (const [key, byName] of containers) {
    const points = new Map<string, ResourcePoint>();
    for (const [name, p] of byName) {
      const point = complete(p, fallbackMs);
      if (point) points.set(name, point);
    }
    if (points.size > 0) pods.set(key, points);
  }
  const nodePoint = complete(node, fallbackMs);
  return { ...(nodePoint ? { node: nodePoint } : {}), pods };
}
