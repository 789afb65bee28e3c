// CPU seconds used by each process of the benchmark's cluster (from /proc/PID/stat, Linux), so a
// run can show where the time went: apiserver, redis, scheduler, controller manager, or the
// hollow kubelets in this process.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return 0;
  }
}

/** The pid of the process whose command line contains every one of `parts` (e.g. redis-server and its port). */
export function findPid(...parts: string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (parts.every((p) => cmd.includes(p))) return Number(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return undefined;
}

export type CpuSample = Record<string, number>;

export function sample(pids: Record<string, number | undefined>): CpuSample {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
}

export function diff(after: CpuSample, before: CpuSample): CpuSample {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Math.round((v - (before[k] ?? 0)) * 100) / 100]));
}
