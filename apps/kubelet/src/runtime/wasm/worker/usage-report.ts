// Tells the runtime what it needs to measure this container's Worker (see ../thread-usage.ts):
// once, the kernel thread id of the Worker's JS thread, so the host can read that thread's CPU
// time from /proc without asking the Worker anything; then the isolate's memory, right before
// guest code takes the thread and on a timer whenever the thread is free.
// Why not answer requests instead: a guest that spins holds the thread, and a stats scrape must
// not wait on it. Its CPU comes from /proc regardless; its memory is the last report, taken
// after instantiation, which is when a spinning guest's linear memory was sized.
import { readlinkSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import type { WorkerToHost } from './protocol.js';

/** How often a Worker whose thread is free reports its memory. */
export const USAGE_REPORT_INTERVAL_MS = 2000;

/** `/proc/thread-self` links to `PID/task/TID` for the calling thread. */
const THREAD_SELF = '/proc/thread-self';

/** The kernel id of the calling thread, or undefined where /proc is missing. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync(THREAD_SELF).split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Posts the isolate's current memory. */
export function reportUsage(port: MessagePort): void {
  const heap = getHeapStatistics();
  port.postMessage({ type: 'usage', heapBytes: heap.used_heap_size, externalBytes: heap.external_memory } satisfies WorkerToHost);
}

/** Posts the thread id and a first memory report, then reports on a timer that never keeps the Worker alive. */
export function startUsageReports(port: MessagePort): void {
  const tid = currentThreadId();
  if (tid !== undefined) port.postMessage({ type: 'thread', tid } satisfies WorkerToHost);
  reportUsage(port);
  setInterval(() => reportUsage(port), USAGE_REPORT_INTERVAL_MS).unref();
}
