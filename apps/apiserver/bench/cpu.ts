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

function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Percent of one core each process used over a phase. */
export interface CpuShare {
  apiserver: number;
  redis: number;
  bench: number;
}

export interface CpuPids {
  apiserver: number;
  redis: number;
}

/** Starts measuring; the returned function gives the shares since the start. */
export function cpuMeter(pids: CpuPids): () => CpuShare {
  const t0 = performance.now();
  const a0 = procCpuMs(pids.apiserver);
  const r0 = procCpuMs(pids.redis);
  const b0 = selfCpuMs();
  return () => {
    const wall = Math.max(1, performance.now() - t0);
    const pct = (ms: number) => Math.round((ms / wall) * 100);
    return { apiserver: pct(procCpuMs(pids.apiserver) - a0), redis: pct(procCpuMs(pids.redis) - r0), bench: pct(selfCpuMs() - b0) };
  };
}
