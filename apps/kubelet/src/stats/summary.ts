// The kubelet's /stats/summary: Kubernetes' stats/v1alpha1 Summary, the CPU and memory parts
// (this kubelet measures nothing else; network, fs and the rest are absent, as Kubernetes
// leaves out what it has no data for). Field names and units are Kubernetes': times as
// metav1.Time (RFC 3339, whole seconds), CPU in nanocores and core-nanoseconds, memory in bytes.
// usageNanoCores appears once there is a previous reading to compute it from (provider.ts).
import type { CpuReading, MemoryReading, PodUsage } from './pod-usage.js';
import type { UsageSnapshot } from './provider.js';

export interface CPUStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes: number;
}

export interface ContainerStatsJson {
  name: string;
  startTime: string;
  cpu: CPUStats;
  memory: MemoryStats;
}

export interface PodStatsJson {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStatsJson[];
  cpu: CPUStats;
  memory: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; startTime: string; cpu: CPUStats; memory: MemoryStats };
  pods: PodStatsJson[];
}

/** metav1.Time: RFC 3339 in UTC, to the second. */
export function metav1Time(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function cpu(reading: CpuReading): CPUStats {
  return {
    time: metav1Time(reading.time),
    ...(reading.usageNanoCores !== undefined ? { usageNanoCores: reading.usageNanoCores } : {}),
    usageCoreNanoSeconds: Math.round(reading.usageCoreNanoSeconds),
  };
}

function memory(reading: MemoryReading): MemoryStats {
  return { time: metav1Time(reading.time), workingSetBytes: Math.round(reading.workingSetBytes) };
}

function pod(p: PodUsage): PodStatsJson {
  return {
    podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
    startTime: metav1Time(p.startTime),
    containers: p.containers.map((c) => ({ name: c.name, startTime: metav1Time(c.startTime), cpu: cpu(c.cpu), memory: memory(c.memory) })),
    cpu: cpu(p.cpu),
    memory: memory(p.memory),
  };
}

export function summaryOf(snapshot: UsageSnapshot): Summary {
  const { node } = snapshot;
  return {
    node: {
      nodeName: node.nodeName,
      startTime: metav1Time(node.startTime),
      cpu: cpu(node.cpu),
      memory: { time: metav1Time(node.memory.time), availableBytes: node.memory.availableBytes, usageBytes: node.memory.usageBytes, workingSetBytes: node.memory.workingSetBytes },
    },
    pods: snapshot.pods.map(pod),
  };
}
