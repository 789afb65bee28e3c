// The node's own usage, from the host's /proc (the node is this machine: every kubelet of a
// local cluster reports the same host, as kubemark nodes would).
//   CPU: the aggregate `cpu` line of /proc/stat, busy ticks = user + nice + system + irq +
//        softirq + steal (idle and iowait are not use; guest time is already inside user and
//        nice), in USER_HZ ticks, cumulative since boot. `btime` is the boot time.
//   Memory: /proc/meminfo; working set = MemTotal - MemAvailable (what could not be handed
//        out without reclaiming), usage = MemTotal - MemFree, available = MemAvailable.
import { readFile } from 'node:fs/promises';
import { CLOCK_TICKS_PER_SECOND } from '../runtime/wasm/thread-usage.js';

const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SECOND;
/** meminfo values are in kB (KiB). */
const BYTES_PER_KB = 1024;

export interface ProcStat {
  /** Busy CPU time of all CPUs since boot, in nanoseconds. */
  busyNanoseconds: number;
  /** When the machine booted. */
  bootTime: Date;
}

export interface MemInfo {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
}

export interface NodeUsage {
  startTime: Date;
  timestamp: Date;
  usageCoreNanoSeconds: number;
  memory: { workingSetBytes: number; usageBytes: number; availableBytes: number };
}

/** Fields of the `cpu` line, in order; the busy ones are summed. */
const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const BUSY_FIELDS = new Set<string>(['user', 'nice', 'system', 'irq', 'softirq', 'steal']);

export function parseProcStat(text: string): ProcStat | undefined {
  let busy: number | undefined;
  let boot: number | undefined;
  for (const line of text.split('\n')) {
    const [key, ...values] = line.trim().split(/\s+/);
    if (key === 'cpu') {
      busy = CPU_FIELDS.reduce((sum, field, i) => sum + (BUSY_FIELDS.has(field) ? Number(values[i] ?? 0) : 0), 0);
    } else if (key === 'btime') {
      boot = Number(values[0]);
    }
  }
  if (busy === undefined || !Number.isFinite(busy) || boot === undefined || !Number.isFinite(boot)) return undefined;
  return { busyNanoseconds: busy * NS_PER_TICK, bootTime: new Date(boot * 1000) };
}

export function parseMeminfo(text: string): MemInfo | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match?.[1] && match[2]) kb.set(match[1], Number(match[2]));
  }
  const total = kb.get('MemTotal');
  const free = kb.get('MemFree');
  const available = kb.get('MemAvailable');
  if (total === undefined || free === undefined || available === undefined) return undefined;
  return { totalBytes: total * BYTES_PER_KB, freeBytes: free * BYTES_PER_KB, availableBytes: available * BYTES_PER_KB };
}

/** Reads the node's usage now; throws if /proc cannot be read or parsed. */
export async function readNodeUsage(): Promise<NodeUsage> {
  const [statText, memText] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  const timestamp = new Date();
  const stat = parseProcStat(statText);
  const mem = parseMeminfo(memText);
  if (!stat || !mem) throw new Error('cannot parse /proc/stat or /proc/meminfo');
  return {
    startTime: stat.bootTime,
    timestamp,
    usageCoreNanoSeconds: stat.busyNanoseconds,
    memory: { workingSetBytes: mem.totalBytes - mem.availableBytes, usageBytes: mem.totalBytes - mem.freeBytes, availableBytes: mem.availableBytes },
  };
}
