// Container usage from the Docker Engine's stats API, computed as cAdvisor and the kubelet do:
//   CPU: cpu_stats.cpu_usage.total_usage, cumulative nanoseconds of the container's cgroup;
//   memory working set: usage - inactive_file (page cache the kernel can drop at once), never
//   below 0; `inactive_file` on cgroup v2, `total_inactive_file` (hierarchical) on cgroup v1.
// Each call is one non-streaming, one-shot request (no second sample for precpu_stats). The
// engine still answers at its collector's next tick (about a second on 20.10), so callers ask
// for all containers at once; the reading's own timestamp (`read`) is the sample time, so
// rates computed from two readings do not depend on that latency.
import type Dockerode from 'dockerode';
import type { ContainerStats } from '@kite/cri';
import { statusOf, toRuntimeError } from './engine.js';
import { engineTime } from './status.js';

/** The query of a one-shot read (Engine API ≥ 1.41; older engines ignore `one-shot`). */
export const ONE_SHOT_STATS = { stream: false, 'one-shot': true } as const;

/** The parts of the engine's stats document read here (cgroup v1 and v2 shapes). */
export interface EngineStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Partial<Record<'inactive_file' | 'total_inactive_file', number>> };
}

/** usage - inactive_file (cgroup v1: total_inactive_file), as the kubelet's working set. */
export function workingSetBytes(memory: EngineStats['memory_stats']): number {
  const usage = memory?.usage ?? 0;
  const stats = memory?.stats ?? {};
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** The runtime's ContainerStats of one engine reading; `now` stands in when `read` is missing. */
export function containerStatsOf(id: string, sandboxId: string, name: string, stats: EngineStats, now: Date): ContainerStats {
  const timestamp = engineTime(stats.read) ?? now;
  return {
    id,
    sandboxId,
    name,
    cpu: { timestamp, usageCoreNanoSeconds: stats.cpu_stats?.cpu_usage?.total_usage ?? 0 },
    memory: { timestamp, workingSetBytes: workingSetBytes(stats.memory_stats) },
  };
}

/** Statuses meaning the container went away (or stopped) between listing and reading. */
const GONE = [404, 409];

/** One one-shot reading of a container, or undefined if it went away meanwhile. */
export async function readEngineStats(docker: Dockerode, id: string): Promise<EngineStats | undefined> {
  try {
    return (await docker.getContainer(id).stats(ONE_SHOT_STATS)) as EngineStats;
  } catch (error) {
    if (GONE.includes(statusOf(error) ?? -1)) return undefined;
    throw toRuntimeError(error, `reading the stats of container ${id}`);
  }
}
