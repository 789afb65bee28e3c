// WorkQueue: the deduplicating, rate-limited queue of object keys that every controller's workers
// drain (the level-triggered pattern: the queue holds `namespace/name` keys, never objects).
//
// Contract:
// - `add(key)`: a key already waiting is queued once; a key being processed (between `get` and
//   `done`) is not handed to a second worker but queued again when `done(key)` is called. So one
//   key is never processed by two workers at once, and a change during processing is not lost.
// - `get()`: resolves with the next key in FIFO order, waiting if the queue is empty; resolves
//   `undefined` once the queue is shut down and empty (queued keys are still handed out).
// - `addAfter(key, ms)`: adds the key after a delay; a key already waiting for a delay keeps the
//   earlier of the two times. `addRateLimited(key)` = `addAfter(key, rateLimiter.when(key))`, and
//   `forget(key)` resets that key's back-off (call it when the key was processed successfully).
// - `shutDown()`: stops accepting keys, cancels delayed adds, and wakes every waiting `get`. Keys
//   already queued (or re-queued by `done`) are still handed out, so workers can drain the queue.
// Keys are compared with SameValueZero (Map semantics): use strings or shared object identities.
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K> {
  /** Delay policy for `addRateLimited`; defaults to `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<K>;
  clock?: Clock;
}

export class WorkQueue<K extends NonNullable<unknown> = string> {
  /** Keys waiting to be handed out, in order. Every entry is also in `dirty`. */
  private queue: K[] = [];
  /** Keys that need processing: waiting in `queue`, or to be re-queued when their `done` comes. */
  private readonly dirty = new Set<K>();
  /** Keys handed out by `get` and not yet `done`. */
  private readonly processing = new Set<K>();
  /** Keys waiting for `addAfter`, with their due time and timer. */
  private readonly delayed = new Map<K, { at: number; timer: TimerHandle }>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly clock: Clock;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.clock = opts.clock ?? systemClock;
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>({ clock: this.clock });
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** The next key, or `undefined` when the queue has been shut down and is empty. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.handOut(key));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` as processed; if it was added meanwhile, it is queued again now. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueue(key);
  }

  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimer(existing.timer);
    const timer = this.clock.setTimer(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears the back-off history of `key`; does not remove it from the queue. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Number of keys waiting to be handed out (not counting delayed or in-process keys). */
  len(): number {
    return this.queue.length;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimer(timer);
    this.delayed.clear();
    if (this.queue.length === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private enqueue(key: K): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.handOut(key));
    else this.queue.push(key);
  }

  private handOut(key: K): K {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
