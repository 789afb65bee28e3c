// Joins the runtimes' container stats to the kubelet's own pods: a stats entry belongs to the
// pod whose record holds its container id (the runtime knows nothing of pod names). Pod usage
// is the sum of its containers' (CPU cumulative and memory), at the newest of their sample
// times. Only pods with at least one running, measured container appear, as only those have
// anything to report; stats of containers no pod claims (being created, or left over) are
// dropped.
import type { Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { PodRecord } from '../pods/records.js';
import type { ContainerStats } from '@kite/cri';

/** What the join needs to know about one of the kubelet's pods. */
export interface PodEntry {
  uid: string;
  namespace: string;
  name: string;
  startTime?: Date;
  containers: Array<{ name: string; id?: string; startedAt?: Date }>;
}

export interface CpuReading {
  time: Date;
  usageCoreNanoSeconds: number;
  /** Filled in by the stats provider from its previous reading (cpu-rate.ts). */
  usageNanoCores?: number;
}

export interface MemoryReading {
  time: Date;
  workingSetBytes: number;
}

export interface ContainerUsage {
  /** The runtime's container id (the rate tracker's key). */
  id: string;
  name: string;
  startTime: Date;
  cpu: CpuReading;
  memory: MemoryReading;
}

export interface PodUsage {
  uid: string;
  namespace: string;
  name: string;
  startTime: Date;
  containers: ContainerUsage[];
  cpu: CpuReading;
  memory: MemoryReading;
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** The kubelet's pods as the join needs them: record (ids) plus pod object (names, start times). */
export function podEntriesOf(records: Iterable<PodRecord>, podOf: (uid: string) => DeepReadonly<Pod> | undefined): PodEntry[] {
  const out: PodEntry[] = [];
  for (const rec of records) {
    const pod = podOf(rec.uid);
    const [namespace = '', name = ''] = rec.key.split('/');
    const statuses = new Map((pod?.status?.containerStatuses ?? []).map((s) => [s.name, s]));
    const startTime = parseTime(rec.startTime ?? pod?.status?.startTime);
    out.push({
      uid: rec.uid,
      namespace,
      name,
      ...(startTime ? { startTime } : {}),
      containers: [...rec.containers.values()].map((c) => {
        const startedAt = parseTime(statuses.get(c.name)?.state?.running?.startedAt);
        return { name: c.name, ...(c.id ? { id: c.id } : {}), ...(startedAt ? { startedAt } : {}) };
      }),
    });
  }
  return out;
}

const latest = (a: Date, b: Date) => (b.getTime() > a.getTime() ? b : a);

/** Pods with their measured containers, in the order of `entries`. */
export function joinPodUsage(entries: readonly PodEntry[], stats: readonly ContainerStats[]): PodUsage[] {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const pods: PodUsage[] = [];
  for (const entry of entries) {
    const containers: ContainerUsage[] = [];
    for (const c of entry.containers) {
      const s = c.id === undefined ? undefined : byId.get(c.id);
      if (!s) continue;
      // Until the pod's status shows the start, the pod's start (or the reading) stands in.
      const startTime = c.startedAt ?? entry.startTime ?? s.cpu.timestamp;
      containers.push({ id: s.id, name: c.name, startTime, cpu: { time: s.cpu.timestamp, usageCoreNanoSeconds: s.cpu.usageCoreNanoSeconds }, memory: { time: s.memory.timestamp, workingSetBytes: s.memory.workingSetBytes } });
    }
    const first = containers[0];
    if (!first) continue;
    pods.push({
      uid: entry.uid,
      namespace: entry.namespace,
      name: entry.name,
      startTime: entry.startTime ?? first.startTime,
      containers,
      cpu: { time: containers.map((c) => c.cpu.time).reduce(latest), usageCoreNanoSeconds: containers.reduce((sum, c) => sum + c.cpu.usageCoreNanoSeconds, 0) },
      memory: { time: containers.map((c) => c.memory.time).reduce(latest), workingSetBytes: containers.reduce((sum, c) => sum + c.memory.workingSetBytes, 0) },
    });
  }
  return pods;
}
