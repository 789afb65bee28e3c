// SchedulingQueue: where pending pods wait, in three places.
//
//   activeQ        — ready to be tried; a heap by priority, then creation time.
//   backoffQ       — failed recently; a heap by back-off expiry (1 s doubling to 10 s per attempt).
//                    A timer moves each pod to activeQ the moment its back-off ends.
//   unschedulable  — rejected, waiting for a cluster event that may help (see framework/events.ts):
//                    only events one of its rejecting plugins registered move it, to backoffQ if
//                    still backing off, else to activeQ. Pods left there longer than
//                    UNSCHEDULABLE_FLUSH_MS are moved anyway, in case an event was missed.
//
// A pod is in at most one place, or "in flight" between `pop` and `done`. If a relevant event
// arrives while a pod is in flight, its failure sends it to backoffQ rather than unschedulable
// (it may fit now, and no later event would wake it): the move-request cycle rule.
import { systemClock, type Clock, type TimerHandle } from '@kite/client';
import { ClusterEvent } from '../framework/events.js';
import type { PodInfo } from '../framework/pod-info.js';
import { backoffDuration, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { Heap } from './heap.js';
import { activeLess, parseCreated, type QueuedPodInfo } from './queued-pod.js';

/** How long a pod may sit in unschedulable without any helpful event before it is retried anyway. */
export const UNSCHEDULABLE_FLUSH_MS = 60_000;
/** How often the unschedulable pods are checked against that limit. */
export const UNSCHEDULABLE_CHECK_MS = 5_000;

export interface QueueOptions {
  /** Plugin name → the events that may undo its rejections (Framework.eventsByPlugin()). */
  eventsByPlugin: ReadonlyMap<string, ReadonlySet<ClusterEvent>>;
  backoff?: BackoffPolicy;
  clock?: Clock;
  unschedulableFlushMs?: number;
}

export interface QueueLengths {
  active: number;
  backoff: number;
  unschedulable: number;
  inFlight: number;
}

interface InFlight {
  qp: QueuedPodInfo;
  cycle: number;
  /** The pod was updated or deleted while in flight. */
  updated: boolean;
  deleted: boolean;
}

export class SchedulingQueue {
  private readonly activeQ = new Heap<QueuedPodInfo>((q) => q.key, activeLess);
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private readonly eventsByPlugin: ReadonlyMap<string, ReadonlySet<ClusterEvent>>;
  private readonly backoff: BackoffPolicy;
  private readonly clock: Clock;
  private readonly flushMs: number;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private closed = false;
  private backoffTimer: { handle: TimerHandle; at: number } | undefined;
  private flushTimer: TimerHandle | undefined;

  constructor(opts: QueueOptions) {
    this.eventsByPlugin = opts.eventsByPlugin;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.clock = opts.clock ?? systemClock;
    this.flushMs = opts.unschedulableFlushMs ?? UNSCHEDULABLE_FLUSH_MS;
    this.backoffQ = new Heap<QueuedPodInfo>((q) => q.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flush of long-unschedulable pods. */
  run(): void {
    if (this.flushTimer || this.closed) return;
    const tick = () => {
      this.flushUnschedulableLeftovers();
      if (!this.closed) this.flushTimer = this.clock.setTimer(tick, Math.min(UNSCHEDULABLE_CHECK_MS, this.flushMs));
    };
    this.flushTimer = this.clock.setTimer(tick, Math.min(UNSCHEDULABLE_CHECK_MS, this.flushMs));
  }

  close(): void {
    this.closed = true;
    if (this.flushTimer) this.clock.clearTimer(this.flushTimer);
    if (this.backoffTimer) this.clock.clearTimer(this.backoffTimer.handle);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  lengths(): QueueLengths {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Whether the pod is anywhere in the queue (waiting or in flight). */
  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  // ---- informer side ----

  /** A new pending pod: straight to activeQ. */
  add(info: PodInfo): void {
    if (this.closed) return;
    if (this.has(info.key)) return this.update(info);
    this.pushActive(this.newQueued(info));
  }

  /** A newer version of a pending pod. */
  update(info: PodInfo): void {
    const key = info.key;
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.qp.info = info;
      flying.updated = true;
      return;
    }
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.info = info;
        heap.push(q);
        return;
      }
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = schedulingInputsChanged(parked.info, info);
      parked.info = info;
      if (changed) this.moveToActiveOrBackoff(parked);
      return;
    }
    if (!this.closed) this.pushActive(this.newQueued(info));
  }

  /** The pod is gone, or no longer pending for us. */
  delete(key: string): void {
    this.activeQ.remove(key);
    this.backoffQ.remove(key);
    this.unschedulable.delete(key);
    const flying = this.inFlight.get(key);
    if (flying) flying.deleted = true;
  }

  /** A cluster event: moves the unschedulable pods it may help (see the file comment). */
  onEvent(event: ClusterEvent): void {
    if (event !== ClusterEvent.Wildcard && !this.anyPluginCares(event)) return;
    this.moveRequestCycle = this.schedulingCycle;
    for (const q of [...this.unschedulable.values()]) {
      if (event === ClusterEvent.Wildcard || this.mayHelp(q, event)) this.moveToActiveOrBackoff(q);
    }
  }

  // ---- scheduler side ----

  /** The next pod to try, waiting for one; undefined once the queue is closed or `signal` aborts. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    const q = this.activeQ.pop();
    if (q) return Promise.resolve(this.startFlight(q));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      const waiter = (q: QueuedPodInfo | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(q);
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The pod could not be placed: park it (unschedulable) or retry after back-off (errors, races). */
  requeue(q: QueuedPodInfo, opts: { unschedulablePlugins?: ReadonlySet<string>; error?: boolean } = {}): void {
    const flying = this.inFlight.get(q.key);
    this.inFlight.delete(q.key);
    if (flying?.deleted || this.closed || this.has(q.key)) return;
    q.timestamp = this.clock.now();
    q.unschedulablePlugins = opts.unschedulablePlugins ?? new Set();
    const cycle = flying?.cycle ?? this.schedulingCycle;
    const retrySoon = opts.error || flying?.updated || this.moveRequestCycle >= cycle || q.unschedulablePlugins.size === 0;
    if (retrySoon) this.pushBackoff(q);
    else this.unschedulable.set(q.key, q);
  }

  /** The pod was placed (or dropped): it leaves the queue for good. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  // ---- internals ----

  private newQueued(info: PodInfo): QueuedPodInfo {
    return {
      info,
      key: info.key,
      attempts: 0,
      timestamp: this.clock.now(),
      initialAttemptTimestamp: undefined,
      unschedulablePlugins: new Set(),
      seq: this.seq++,
      createdMs: parseCreated(info.pod.metadata.creationTimestamp),
    };
  }

  private startFlight(q: QueuedPodInfo): QueuedPodInfo {
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.set(q.key, { qp: q, cycle: ++this.schedulingCycle, updated: false, deleted: false });
    return q;
  }

  private pushActive(q: QueuedPodInfo): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.startFlight(q));
    else this.activeQ.push(q);
  }

  private pushBackoff(q: QueuedPodInfo): void {
    if (this.backoffExpiry(q) <= this.clock.now()) return this.pushActive(q);
    this.backoffQ.push(q);
    this.armBackoffTimer();
  }

  private moveToActiveOrBackoff(q: QueuedPodInfo): void {
    this.unschedulable.delete(q.key);
    this.pushBackoff(q);
  }

  private backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + backoffDuration(q.attempts, this.backoff);
  }

  /** One timer, set for the earliest back-off expiry; it moves every expired pod to activeQ. */
  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (!head || this.closed) return;
    const at = this.backoffExpiry(head);
    if (this.backoffTimer && this.backoffTimer.at <= at) return;
    if (this.backoffTimer) this.clock.clearTimer(this.backoffTimer.handle);
    const handle = this.clock.setTimer(() => {
      this.backoffTimer = undefined;
      this.flushBackoffCompleted();
    }, at - this.clock.now());
    this.backoffTimer = { handle, at };
  }

  private flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let head = this.backoffQ.peek(); head && this.backoffExpiry(head) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(head);
    }
    this.armBackoffTimer();
  }

  private flushUnschedulableLeftovers(): void {
    const now = this.clock.now();
    for (const q of [...this.unschedulable.values()]) if (now - q.timestamp >= this.flushMs) this.moveToActiveOrBackoff(q);
  }

  private anyPluginCares(event: ClusterEvent): boolean {
    for (const events of this.eventsByPlugin.values()) if (events.has(event)) return true;
    return false;
  }

  private mayHelp(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const plugin of q.unschedulablePlugins) if (this.eventsByPlugin.get(plugin)?.has(event)) return true;
    return false;
  }
}

/** Whether an update may change the scheduling outcome: anything but status and bookkeeping. */
function schedulingInputsChanged(oldInfo: PodInfo, newInfo: PodInfo): boolean {
  if (oldInfo.pod === newInfo.pod) return false;
  const a = oldInfo.pod;
  const b = newInfo.pod;
  return JSON.stringify([a.spec, a.metadata.labels, a.metadata.annotations]) !== JSON.stringify([b.spec, b.metadata.labels, b.metadata.annotations]);
}
