// QueuedPodInfo: a pending pod as the queue tracks it — the newest version of the pod plus the
// bookkeeping that decides when it is tried next.
import type { PodInfo } from '../framework/pod-info.js';

export interface QueuedPodInfo {
  info: PodInfo;
  readonly key: string;
  /** Scheduling attempts so far (incremented when the pod is popped). */
  attempts: number;
  /** When the pod was last attempted (or first queued): back-off counts from here. */
  timestamp: number;
  /** When the pod was first popped, for the end-to-end scheduling latency metric. */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected it in its last attempt; an event interesting one of them moves it. */
  unschedulablePlugins: ReadonlySet<string>;
  /** Order of first arrival, the last tie-break of the active queue. */
  readonly seq: number;
  /** Creation time in ms, parsed once. */
  readonly createdMs: number;
}

export function priorityOf(q: QueuedPodInfo): number {
  return q.info.pod.spec?.priority ?? 0;
}

/** Active-queue order: higher priority first, then older pods, then first come. */
export function activeLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = priorityOf(a);
  const pb = priorityOf(b);
  if (pa !== pb) return pa > pb;
  if (a.createdMs !== b.createdMs) return a.createdMs < b.createdMs;
  return a.seq < b.seq;
}

export function parseCreated(ts: string | null | undefined): number {
  const ms = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}
