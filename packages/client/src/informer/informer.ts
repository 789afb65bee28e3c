// Informer<T>: keeps a local, indexed cache of one kind in step with the apiserver and tells
// handlers what changed — the list-then-watch loop of BRIEF §3.
//
// Contract:
// - `start()` lists (all pages), fills the cache, delivers `add` for every object, and resolves
//   once that is done (`hasSynced()` is then true). It then watches from the list's
//   resourceVersion with bookmarks, applying each event to the cache before notifying.
// - A watch that ends (the server closed it, the connection broke, the apiserver restarted) is
//   resumed from the last resourceVersion seen, after a back-off delay when it failed.
// - 410 Gone/Expired (as HTTP status or ERROR event) means that revision left the server's
//   history: the informer relists from scratch and emits the difference between its cache and
//   the new list as add/update/delete, so handlers converge without seeing every change.
// - Handlers run asynchronously after the cache is consistent (see notifications.ts); cached
//   objects are shared and typed `DeepReadonly` — copy with `mutableCopy` before changing one.
// - `resyncMs` re-delivers `update(obj, obj)` for every cached object periodically, so
//   level-triggered controllers re-check everything now and then.
// - `stop()` ends the watch and resolves once the loop has exited; no handler is called after.
import type { KubeList, KubeObject } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { systemClock, sleep, type Clock, type TimerHandle } from '../clock.js';
import { Store, type Indexer } from '../cache/store.js';
import type { ListOptions, WatchOptions } from '../resource-client.js';
import type { WatchEvent } from '../watch/watch.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { applyWatchEvent, relistDiff } from './diff.js';
import { InformerEvents, Notifier, type InformerEventName, type InformerHandlers } from './notifications.js';

/** What an informer needs of a ResourceClient; a fake one makes a unit test. */
export interface ListWatcher<T extends KubeObject> {
  listAll(opts: Omit<ListOptions, 'continue'>): Promise<KubeList<T>>;
  watch(opts: WatchOptions): AsyncIterable<WatchEvent<T>>;
}

export type InformerPhase = 'list' | 'watch' | 'handler';

export interface InformerOptions<T extends KubeObject> {
  client: ListWatcher<T>;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Period of `update(obj, obj)` re-deliveries; 0 or absent disables resync. */
  resyncMs?: number;
  /** Delays between failed lists and watches. */
  backoff?: BackoffOptions;
  /** Items per list page. */
  pageSize?: number;
  /** How long the server should keep one watch open before the informer starts a fresh one. */
  watchTimeoutSeconds?: number;
  clock?: Clock;
  /** Failures the informer recovers from (list, watch) and exceptions thrown by handlers. */
  onError?: (err: unknown, phase: InformerPhase) => void;
}

/** Items per list page when relisting. */
export const DEFAULT_PAGE_SIZE = 500;
/**
 * Server-side lifetime of one watch. Below undici's 300 s idle-body timeout, so a quiet watch is
 * ended cleanly by the server rather than torn down by the client library.
 */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = 240;
/** A watch that closes cleanly sooner than this without any event counts as a failure (back-off). */
export const MIN_HEALTHY_WATCH_MS = 1000;

export class Informer<T extends KubeObject> {
  private readonly opts: InformerOptions<T>;
  private readonly clock: Clock;
  private readonly cache = new Store<T>();
  private readonly notifier: Notifier<T>;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private resourceVersion: string | undefined;
  private synced = false;
  private started: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private resyncTimer: TimerHandle | undefined;

  constructor(opts: InformerOptions<T>) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff(opts.backoff);
    this.notifier = new Notifier<T>((err) => this.report(err, 'handler'));
  }

  /** The cache: read it freely, never mutate what it returns. */
  get store(): Indexer<T> {
    return this.cache;
  }

  on<E extends InformerEventName>(event: E, handler: InformerHandlers<T>[E]): this {
    this.notifier.on(event, handler);
    if (event === InformerEvents.Add && this.cache.size() > 0) {
      const add = handler as InformerHandlers<T>['add'];
      for (const obj of this.cache.list()) this.notifier.push({ type: 'add', obj }, add);
    }
    return this;
  }

  off<E extends InformerEventName>(event: E, handler: InformerHandlers<T>[E]): this {
    this.notifier.off(event, handler);
    return this;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The revision the cache reflects (advanced by events and bookmarks). */
  lastSyncResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  /**
   * Starts the loop once; resolves when the first list is cached and its `add`s are delivered,
   * rejects if `stop()` comes first (that rejection is not reported as unhandled when nobody awaits).
   */
  start(): Promise<void> {
    if (!this.started) {
      this.started = new Promise<void>((resolve, reject) => {
        this.loop = this.run(resolve).finally(() => {
          if (!this.synced) reject(new Error('informer stopped before it synced'));
        });
      });
      this.started.catch(() => {});
    }
    return this.started;
  }

  /** Ends the watch and resync; resolves once the loop has exited and pending handlers ran. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.resyncTimer) this.clock.clearTimer(this.resyncTimer);
    await this.loop;
    await this.notifier.idle();
  }

  private async run(onSynced: () => void): Promise<void> {
    const signal = this.abort.signal;
    let goneInARow = 0;
    while (!signal.aborted) {
      let phase: InformerPhase = 'list';
      try {
        if (this.resourceVersion === undefined) {
          await this.relist();
          if (!this.synced) await this.markSynced(onSynced);
        }
        phase = 'watch';
        const { events, ms } = await this.watchOnce();
        if (events > 0) goneInARow = 0;
        if (events > 0 || ms >= MIN_HEALTHY_WATCH_MS) this.backoff.reset();
        else await sleep(this.clock, this.backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          // Our revision left the server's history: relist. Relist at once the first time; a
          // second 410 in a row (without events between) waits like any other failure.
          this.resourceVersion = undefined;
          if (++goneInARow < 2) continue;
        }
        this.report(err, phase);
        await sleep(this.clock, this.backoff.next(), signal).catch(() => undefined);
      }
    }
  }

  /** Lists everything, replaces the cache, and queues the difference as notifications. */
  private async relist(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.opts;
    const limit = this.opts.pageSize ?? DEFAULT_PAGE_SIZE;
    const list = await this.opts.client.listAll({ namespace, labelSelector, fieldSelector, limit, signal: this.abort.signal });
    const rv = list.metadata.resourceVersion;
    if (!rv) throw new Error('list response has no metadata.resourceVersion');
    if (this.abort.signal.aborted) return;
    const changes = relistDiff(this.cache, list.items);
    this.cache.replace(list.items);
    this.resourceVersion = rv;
    for (const n of changes) this.notifier.push(n);
  }

  private async markSynced(onSynced: () => void): Promise<void> {
    await this.notifier.idle();
    this.synced = true;
    this.scheduleResync();
    onSynced();
  }

  /** One watch from the current resourceVersion, until the server closes it; counts its events. */
  private async watchOnce(): Promise<{ events: number; ms: number }> {
    const { namespace, labelSelector, fieldSelector } = this.opts;
    const startedAt = this.clock.now();
    let events = 0;
    const stream = this.opts.client.watch({
      namespace,
      labelSelector,
      fieldSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.opts.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS,
      signal: this.abort.signal,
    });
    for await (const event of stream) {
      if (this.abort.signal.aborted) break;
      events++;
      if (events === 1) this.backoff.reset();
      const n = applyWatchEvent(this.cache, event);
      if (n) this.notifier.push(n);
      this.resourceVersion = event.object.metadata.resourceVersion || this.resourceVersion;
    }
    return { events, ms: this.clock.now() - startedAt };
  }

  private scheduleResync(): void {
    const period = this.opts.resyncMs ?? 0;
    if (period <= 0 || this.abort.signal.aborted) return;
    this.resyncTimer = this.clock.setTimer(() => {
      for (const obj of this.cache.list()) this.notifier.push({ type: 'update', oldObj: obj, newObj: obj });
      this.scheduleResync();
    }, period);
  }

  private report(err: unknown, phase: InformerPhase): void {
    if (this.opts.onError) this.opts.onError(err, phase);
    else if (phase === 'handler') console.error('informer handler failed:', err);
  }
}

/** 410 from the server: Gone or Expired, as HTTP status or as a watch ERROR event. */
function isGone(err: unknown): boolean {
  return isApiError(err) && err.code === 410;
}
