// CPU time of a process and its descendants (nginx forks its worker), read from /proc, so the
// report can say what each request cost the proxy and its peer.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks of 10 ms (USER_HZ = 100). */
const MS_PER_TICK = 10;

interface Stat {
  ppid: number;
  cpuMs: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * MS_PER_TICK };
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU used so far by `root` and every live descendant. */
export function treeCpuMs(root: number): number {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) stats.set(pid, s);
  }
  let total = 0;
  for (const [pid, s] of stats) {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = stats.get(p)?.ppid) {
      if (p === root) {
        total += s.cpuMs;
        break;
      }
    }
  }
  return total;
}

/** Milliseconds of CPU the whole machine has been busy (all cores), from /proc/stat. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return busy * MS_PER_TICK;
}

/** CPU (% of one core) used by processes outside `ownRoot`'s tree over `windowMs`. */
export async function otherCpuPercent(ownRoot: number, windowMs: number): Promise<number> {
  const busy0 = machineBusyMs();
  const ours0 = treeCpuMs(ownRoot);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const other = machineBusyMs() - busy0 - (treeCpuMs(ownRoot) - ours0);
  return Math.max(0, (other / (performance.now() - t0)) * 100);
}
