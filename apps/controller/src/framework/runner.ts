// ControllerRunner: the one loop every controller in this manager runs (sample-controller's shape).
//
//   informer event → handler → enqueue(namespace/name) → worker → processNextWorkItem → sync(key)
//
// Contract:
// - The queue holds keys, never objects; `sync` re-reads current state from the informer caches,
//   so a key processed late still acts on fresh data and a burst of events for one object costs
//   one sync (the WorkQueue deduplicates).
// - Retry rules live here and only here: `sync` resolving forgets the key's back-off; `sync`
//   throwing re-queues the key rate-limited (per-key exponential, plus an overall bucket). A sync
//   that wants to look again later without failing returns `{ requeueAfterMs }`.
// - Errors that will not fix themselves by retrying are handled inside `sync` (logged, or turned
//   into an Event) and `sync` resolves normally.
// - Workers start only once every cache the controller reads has synced (`hasSynced`), so a sync
//   never mistakes a half-filled cache for the truth (e.g. "no pods" → create them all again).
// - `run(signal)` resolves once the signal aborted and the in-flight syncs finished.
import { ExponentialRateLimiter, BucketRateLimiter, maxOf, WorkQueue, type RateLimiter } from '@kite/client';
import type { Logger } from '@kite/component-base';
import type { ControllerMetrics } from './metrics.js';

/** What a sync may ask of the runner besides success. */
export interface SyncResult {
  /** Look at this key again after this many milliseconds (e.g. a deadline or minReadySeconds). */
  requeueAfterMs?: number;
}

export type SyncFunc = (key: string) => Promise<SyncResult | void>;

/** First retry of a failing key: quick, since most failures are 409 Conflicts from a stale cache. */
export const RETRY_BASE_DELAY_MS = 5;
/**
 * Longest retry delay of a failing key. Kubernetes caps at 1000 s; a restarted apiserver or a
 * brief Redis outage should not leave a controller asleep for minutes, so kite caps at 30 s.
 */
export const RETRY_MAX_DELAY_MS = 30_000;
/** Overall retries per second of one controller, and the burst allowed before that applies. */
export const RETRY_BUCKET_QPS = 100;
export const RETRY_BUCKET_BURST = 1000;
/** How often `run` re-checks `hasSynced` while waiting for the caches. */
const CACHE_SYNC_POLL_MS = 10;

export function controllerRateLimiter(): RateLimiter<string> {
  return maxOf<string>(
    new ExponentialRateLimiter<string>({ baseDelayMs: RETRY_BASE_DELAY_MS, maxDelayMs: RETRY_MAX_DELAY_MS }),
    new BucketRateLimiter<string>({ qps: RETRY_BUCKET_QPS, burst: RETRY_BUCKET_BURST }),
  );
}

export interface RunnerOptions {
  /** Name in logs and metrics, e.g. `replicaset`. */
  name: string;
  sync: SyncFunc;
  /** Concurrent syncs (different keys; one key is never synced twice at once). */
  workers: number;
  /** Whether every cache `sync` reads has been filled. */
  hasSynced: () => boolean;
  logger: Logger;
  metrics?: ControllerMetrics;
  queue?: WorkQueue<string>;
}

export class ControllerRunner {
  readonly name: string;
  private readonly opts: RunnerOptions;
  private readonly queue: WorkQueue<string>;

  constructor(opts: RunnerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.queue = opts.queue ?? new WorkQueue<string>({ rateLimiter: controllerRateLimiter() });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Keys waiting to be processed (for metrics and tests). */
  depth(): number {
    return this.queue.len();
  }

  async run(signal: AbortSignal): Promise<void> {
    await waitUntil(this.opts.hasSynced, signal);
    if (signal.aborted) return;
    this.opts.logger.info({ controller: this.name, workers: this.opts.workers }, 'caches synced, starting workers');
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    const workers = Array.from({ length: this.opts.workers }, () => this.worker());
    await Promise.all(workers);
  }

  private async worker(): Promise<void> {
    while (await this.processNextWorkItem());
  }

  /** Takes one key, syncs it, and decides about retries. False once the queue has shut down. */
  private async processNextWorkItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    const started = performance.now();
    try {
      const result = await this.opts.sync(key);
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      this.opts.metrics?.observe(this.name, 'success', performance.now() - started);
    } catch (err) {
      this.opts.metrics?.observe(this.name, 'error', performance.now() - started);
      this.opts.logger.debug({ controller: this.name, key, err: describe(err), retries: this.queue.numRequeues(key) }, 'sync failed, requeueing');
      this.queue.addRateLimited(key);
    } finally {
      this.queue.done(key);
    }
    return true;
  }
}

/** A short description of an error for logs (ApiErrors carry the server's message). */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function waitUntil(cond: () => boolean, signal: AbortSignal): Promise<void> {
  while (!cond() && !signal.aborted) await new Promise((r) => setTimeout(r, CACHE_SYNC_POLL_MS));
}
