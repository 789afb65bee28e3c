// The kubelet's stats provider: one snapshot of node, pod and container usage, read now from the
// host (node-usage.ts) and from every runtime (listContainerStats), joined to the kubelet's pods
// (pod-usage.ts), with CPU rates against the previous snapshot (cpu-rate.ts). Both
// /metrics/resource and /stats/summary render the same snapshot.
// Callers arriving while a snapshot is being read share it, so simultaneous scrapes cost one
// read. A runtime that fails to answer leaves its pods out and sets `scrapeError` (Kubernetes'
// resource_scrape_error); the others still report.
import type { Logger } from '@kite/component-base';
import type { ContainerRuntime, ContainerStats } from '@kite/cri';
import { CpuRateTracker } from './cpu-rate.js';
import { readNodeUsage, type NodeUsage } from './node-usage.js';
import { joinPodUsage, type CpuReading, type MemoryReading, type PodEntry, type PodUsage } from './pod-usage.js';

/** The rate tracker's key of the node itself (container ids are hex, so it cannot collide). */
const NODE_KEY = 'node';

export interface NodeSnapshot {
  nodeName: string;
  startTime: Date;
  cpu: CpuReading;
  memory: MemoryReading & { usageBytes: number; availableBytes: number };
}

export interface UsageSnapshot {
  node: NodeSnapshot;
  pods: PodUsage[];
  /** Some runtime could not report its containers. */
  scrapeError: boolean;
}

export interface StatsProviderOptions {
  nodeName: string;
  /** The runtimes this node offers (read at every snapshot: they come up after construction). */
  runtimes: () => Iterable<ContainerRuntime>;
  /** The kubelet's pods (pod-usage.ts podEntriesOf). */
  pods: () => PodEntry[];
  /** Default: the host's /proc. */
  readNode?: () => Promise<NodeUsage>;
  log?: Logger;
}

export class StatsProvider {
  readonly #options: StatsProviderOptions;
  readonly #rates = new CpuRateTracker();
  #inFlight: Promise<UsageSnapshot> | undefined;

  constructor(options: StatsProviderOptions) {
    this.#options = options;
  }

  /** A fresh snapshot (or the one being read right now). */
  snapshot(): Promise<UsageSnapshot> {
    this.#inFlight ??= this.#read().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #read(): Promise<UsageSnapshot> {
    const { runtimes, readNode = readNodeUsage, log } = this.#options;
    const [node, ...perRuntime] = await Promise.all([
      readNode(),
      ...[...runtimes()].map((rt) =>
        rt.listContainerStats().catch((err: unknown): undefined => {
          log?.warn({ err, runtime: rt.name }, 'runtime did not report container stats');
          return undefined;
        }),
      ),
    ]);
    const stats = perRuntime.flatMap((s): ContainerStats[] => s ?? []);
    const pods = joinPodUsage(this.#options.pods(), stats);
    this.#fillRates(pods);
    const nodeCpu: CpuReading = { time: node.timestamp, usageCoreNanoSeconds: node.usageCoreNanoSeconds };
    const nodeRate = this.#rates.observe(NODE_KEY, node.timestamp, node.usageCoreNanoSeconds);
    if (nodeRate !== undefined) nodeCpu.usageNanoCores = nodeRate;
    this.#rates.retain(new Set([NODE_KEY, ...pods.flatMap((p) => p.containers.map((c) => c.id))]));
    return {
      node: { nodeName: this.#options.nodeName, startTime: node.startTime, cpu: nodeCpu, memory: { time: node.timestamp, ...node.memory } },
      pods,
      scrapeError: perRuntime.some((s) => s === undefined),
    };
  }

  /** Container rates from the previous readings; a pod's rate is their sum once all are known. */
  #fillRates(pods: PodUsage[]): void {
    for (const pod of pods) {
      let sum: number | undefined = 0;
      for (const c of pod.containers) {
        const rate = this.#rates.observe(c.id, c.cpu.time, c.cpu.usageCoreNanoSeconds);
        if (rate !== undefined) c.cpu.usageNanoCores = rate;
        sum = rate === undefined || sum === undefined ? undefined : sum + rate;
      }
      if (sum !== undefined) pod.cpu.usageNanoCores = sum;
    }
  }
}
