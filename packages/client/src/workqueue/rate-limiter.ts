// Rate limiters decide how long a key waits before it is retried (WorkQueue.addRateLimited).
//
// Contract: `when(key)` records one more failure of `key` and returns the delay in milliseconds
// before its next attempt; `forget(key)` clears its history once it succeeded; `numRequeues(key)`
// says how many failures are on record. The per-key exponential limiter doubles from `baseDelayMs`
// up to `maxDelayMs`; the bucket limiter spreads retries of all keys to an overall rate; `maxOf`
// takes the longer of several. `defaultControllerRateLimiter` combines them as controllers use
// them: 5 ms doubling to 1000 s per key, and 10 retries per second overall with a burst of 100.
import { systemClock, type Clock } from '../clock.js';

export interface RateLimiter<K> {
  when(key: K): number;
  forget(key: K): void;
  numRequeues(key: K): number;
}

/** First retry delay of a failing key. */
export const DEFAULT_BASE_DELAY_MS = 5;
/** Longest retry delay of a failing key: 1000 s. */
export const DEFAULT_MAX_DELAY_MS = 1_000_000;
/** Overall retries per second across all keys (the bucket limiter). */
export const DEFAULT_BUCKET_QPS = 10;
/** Retries allowed at once before the overall rate applies. */
export const DEFAULT_BUCKET_BURST = 100;

export interface ExponentialRateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Per-key exponential back-off: base · 2^(failures−1), capped at maxDelayMs. */
export class ExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(opts: ExponentialRateLimiterOptions = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long after the cap applies, so Math.min keeps it finite.
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface BucketRateLimiterOptions {
  qps?: number;
  burst?: number;
  clock?: Clock;
}

/**
 * A token bucket shared by all keys: `burst` tokens, refilled at `qps`. Each `when` takes a token
 * (possibly one that will only exist in the future) and returns the wait until it exists.
 * Example: qps 10, burst 2, three calls at once → 0, 0, 100 ms.
 */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(opts: BucketRateLimiterOptions = {}) {
    this.qps = opts.qps ?? DEFAULT_BUCKET_QPS;
    this.burst = opts.burst ?? DEFAULT_BUCKET_BURST;
    this.clock = opts.clock ?? systemClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_key: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** The longest delay any of `limiters` asks for; forget and numRequeues apply to all. */
export function maxOf<K>(...limiters: RateLimiter<K>[]): RateLimiter<K> {
  return {
    when: (key) => limiters.reduce((ms, l) => Math.max(ms, l.when(key)), 0),
    forget: (key) => limiters.forEach((l) => l.forget(key)),
    numRequeues: (key) => limiters.reduce((n, l) => Math.max(n, l.numRequeues(key)), 0),
  };
}

/** Per-key exponential back-off (5 ms … 1000 s) combined with an overall 10 qps / burst 100 bucket. */
export function defaultControllerRateLimiter<K>(opts: { clock?: Clock } = {}): RateLimiter<K> {
  return maxOf<K>(new ExponentialRateLimiter<K>(), new BucketRateLimiter<K>({ clock: opts.clock }));
}
