// CPU time of the three processes sharing this machine's two cores (apiserver, redis-server and
// the bench itself), so each phase can say which one was the bottleneck.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/PID/stat. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU milliseconds a process has used so far (0 if it is gone). */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU milliseconds the whole machine has been busy (all cores together), from /proc/stat's first
 * line: everything but idle and iowait. Subtracting our three processes gives what others ran.
 */
function machineBusyMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return ((total - idle) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Percent of one core each process used over a phase (200 = both cores). `other` is everything
 * else on the machine: builds and tests of other sessions share these two cores, and a phase
 * with a high `other` measured a contended machine.
 */
export interface CpuShare {
  apiserver: number;
  redis: number;
  bench: number;
  other: number;
  /** The idle second apiserver of the security phase (its watch cache follows every write). */
  sibling?: number;
}

export interface CpuPids {
  apiserver: number;
  redis: number;
  /** A second apiserver of ours on the same Redis: its CPU is ours, not a neighbour's. */
  sibling?: number;
}

/** Starts measuring; the returned function gives the shares since the start. */
export function cpuMeter(pids: CpuPids): () => CpuShare {
  const t0 = performance.now();
  const a0 = procCpuMs(pids.apiserver);
  const r0 = procCpuMs(pids.redis);
  const s0 = pids.sibling !== undefined ? procCpuMs(pids.sibling) : 0;
  const b0 = selfCpuMs();
  const m0 = machineBusyMs();
  return () => {
    const wall = Math.max(1, performance.now() - t0);
    const pct = (ms: number) => Math.round((ms / wall) * 100);
    const a = procCpuMs(pids.apiserver) - a0;
    const r = procCpuMs(pids.redis) - r0;
    const s = pids.sibling !== undefined ? procCpuMs(pids.sibling) - s0 : 0;
    const b = selfCpuMs() - b0;
    const share = { apiserver: pct(a), redis: pct(r), bench: pct(b), other: Math.max(0, pct(machineBusyMs() - m0 - a - r - s - b)) };
    return pids.sibling !== undefined ? { ...share, sibling: pct(s) } : share;
  };
}

/** Read and write system calls of a process (from /proc/PID/io), e.g. per operation. */
export interface Syscalls {
  reads: number;
  writes: number;
}

function procSyscalls(pid: number): Syscalls {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return { reads: Number(/syscr: (\d+)/.exec(io)?.[1] ?? 0), writes: Number(/syscw: (\d+)/.exec(io)?.[1] ?? 0) };
  } catch {
    return { reads: 0, writes: 0 };
  }
}

/**
 * Counts a process's read/write system calls from now; the returned function gives them per
 * operation. On loopback a write also pays for delivering the bytes to the reader, so syscalls
 * per request are much of what a request costs the apiserver.
 */
export function syscallMeter(pid: number): (ops: number) => Syscalls {
  const s0 = procSyscalls(pid);
  return (ops) => {
    const s = procSyscalls(pid);
    const per = (n: number) => (ops > 0 ? Math.round((n / ops) * 100) / 100 : 0);
    return { reads: per(s.reads - s0.reads), writes: per(s.writes - s0.writes) };
  };
}

/** Microseconds of a process's CPU per operation, from its share of a core over a phase. */
export function cpuUsPerOp(percent: number, elapsedMs: number, ops: number): number {
  return ops > 0 ? Math.round(((percent / 100) * elapsedMs * 1000) / ops) : 0;
}

/** How busy the rest of the machine may be for it to count as quiet (percent of one core). */
const QUIET_OTHER_PERCENT = 20;
const QUIET_SAMPLE_MS = 500;

/**
 * Waits until the machine is quiet (other processes under QUIET_OTHER_PERCENT of a core over a
 * short sample), or `maxWaitMs` passes. Returns the last sample's share, for the record.
 */
export async function waitForQuiet(pids: CpuPids, maxWaitMs: number): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  let other = 0;
  do {
    const meter = cpuMeter(pids);
    await new Promise((r) => setTimeout(r, QUIET_SAMPLE_MS));
    other = meter().other;
  } while (other > QUIET_OTHER_PERCENT && performance.now() < deadline);
  return other;
}

/** A measurement during which others used more than this (percent of one core) was contended. */
export const CONTENDED_OTHER_PERCENT = 25;

export interface ContentionPolicy {
  pids: CpuPids;
  /** Longest wait for quiet before each attempt. */
  quietWaitMs: number;
  /** Further attempts when an attempt was contended. */
  retries: number;
}

/**
 * Runs a measurement, waiting for quiet first, and again (up to `retries` times) while other
 * processes took more than CONTENDED_OTHER_PERCENT of a core during it. Returns the least
 * contended attempt: on a shared machine that is the closest to what the code can do.
 * `run(attempt)` must be repeatable (fresh object names per attempt, for instance).
 */
export async function leastContended<T extends { cpu: CpuShare }>(policy: ContentionPolicy, run: (attempt: number) => Promise<T>): Promise<T & { attempts: number }> {
  let best: T | undefined;
  let attempt = 0;
  for (; attempt <= policy.retries; attempt++) {
    await waitForQuiet(policy.pids, policy.quietWaitMs);
    const r = await run(attempt);
    if (!best || r.cpu.other < best.cpu.other) best = r;
    if (r.cpu.other <= CONTENDED_OTHER_PERCENT) break;
  }
  if (!best) throw new Error('no attempt ran');
  return { ...best, attempts: Math.min(attempt + 1, policy.retries + 1) };
}
