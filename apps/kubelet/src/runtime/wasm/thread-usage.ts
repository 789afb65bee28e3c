// CPU time of one thread of this process, read from /proc, so the runtime can measure a
// container's Worker without the Worker's help (a spinning guest never answers a message).
// Source, in order of preference:
//   /proc/self/task/TID/schedstat  "<ns on cpu> <ns waiting> <timeslices>" — nanoseconds, exact;
//   /proc/self/task/TID/stat        utime + stime (fields 14 and 15) in clock ticks.
// Both stay readable while the thread lives; once it has ended the reading is undefined.
// Synchronous reads: a /proc file is read in microseconds, and a read in flight would hold a
// descriptor past the container's removal.
import { readFileSync } from 'node:fs';

/** Linux reports stat times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SECOND;

/** The first field of a schedstat line: nanoseconds spent on a CPU. */
export function parseSchedstat(text: string): number | undefined {
  const first = text.trim().split(/\s+/)[0];
  if (first === undefined || !/^\d+$/.test(first)) return undefined;
  return Number(first);
}

/**
 * utime + stime of a stat line, in nanoseconds. The command name (field 2) is in parentheses
 * and may itself hold spaces and parentheses, so fields are counted after the last ')'.
 */
export function parseThreadStat(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ')' come field 3 (state) onwards: utime is field 14, stime field 15.
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const utime = fields[14 - 3];
  const stime = fields[15 - 3];
  if (utime === undefined || stime === undefined || !/^\d+$/.test(utime) || !/^\d+$/.test(stime)) return undefined;
  return (Number(utime) + Number(stime)) * NS_PER_TICK;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU nanoseconds the thread `tid` of this process has used, or undefined if it is gone. */
export function threadCpuNanoseconds(tid: number): number | undefined {
  const dir = `/proc/self/task/${tid}`;
  const schedstat = readOrUndefined(`${dir}/schedstat`);
  const ns = schedstat === undefined ? undefined : parseSchedstat(schedstat);
  if (ns !== undefined) return ns;
  const stat = readOrUndefined(`${dir}/stat`);
  return stat === undefined ? undefined : parseThreadStat(stat);
}
