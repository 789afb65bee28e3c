// CPU and memory of a container's child process, read from /proc without asking the child
// (whose guest may be spinning). Synchronous reads: a /proc file is read in microseconds.
//   /proc/PID/stat    utime and stime (fields 14 and 15, all threads) in clock ticks
//   /proc/PID/status  VmRSS in kB
// Both are undefined once the process is gone.
import { readFileSync } from 'node:fs';

/** Linux reports stat times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU nanoseconds process `pid` has used, all its threads together. */
export function processCpuNanoseconds(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields?.[11]) + Number(fields?.[12]);
  return Number.isFinite(ticks) ? (ticks * 1e9) / TICKS_PER_SECOND : undefined;
}

/** Resident memory of process `pid` in bytes. */
export function processRssBytes(pid: number): number | undefined {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}
