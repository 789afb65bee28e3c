// The watch cache (BRIEF §2): one stream reader per apiserver follows the change stream and fans
// each event out to every matching watcher from memory, instead of one Redis connection per
// watcher. It keeps the same window of history the stream keeps, loaded at start-up, so a client
// resuming after an apiserver restart still gets every event after its resourceVersion; anything
// older answers 410 Gone.
import type { Redis } from 'ioredis';
import type { KubeObject, WatchEventType } from '@kite/api-types';
import { StorageError } from './errors.js';
import { EVENTS_KEY } from './keys.js';
import { StorageCodec } from './codec.js';

export interface CacheEvent {
  revision: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  namespace: string;
  object: KubeObject;
  /** The stored JSON of `object`, shared by every watcher that sends it unchanged. */
  raw: string;
  /** For MODIFIED: the object before the change, so selector watches can see it leave. */
  prev?: KubeObject;
}

export interface WatchFilter {
  resource: string;
  namespace?: string;
  /** Selector predicate (labels and fields); undefined selects everything. */
  matches?: (obj: KubeObject) => boolean;
}

/** The receiving end of a watch: the HTTP layer encodes and writes. */
export interface WatchSink {
  event(type: WatchEventType, ev: CacheEvent): void;
  bookmark(revision: number): void;
  /** The cache lost events this watcher needed: it must end with 410 so its client relists. */
  expire(message: string): void;
}

interface Watcher {
  filter: WatchFilter;
  sink: WatchSink;
  bookmarks: boolean;
}

type StreamEntry = [id: string, fields: string[]];

/** How long one XREAD blocks before looping (also bounds shutdown time). */
const READ_BLOCK_MS = 1000;
const READ_BATCH = 1000;

/** Undefined when the value cannot be opened (its key is gone from the encryption config). */
function parseEntry([id, fields]: StreamEntry, codec: StorageCodec): CacheEvent | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  const resource = f.r ?? '';
  const stored = f.o ?? '{}';
  let object: KubeObject;
  let prev: KubeObject | undefined;
  try {
    object = codec.decode<KubeObject>(resource, stored);
    prev = f.p ? codec.decode<KubeObject>(resource, f.p) : undefined;
  } catch {
    return undefined;
  }
  // Watchers are sent `raw` as it is: a sealed value is re-serialised once, opened.
  const raw = codec.encrypts && stored.includes('"k8s:enc"') ? JSON.stringify(object) : stored;
  return {
    revision: Number(id.split('-')[0]),
    type: (f.t ?? 'MODIFIED') as CacheEvent['type'],
    resource,
    namespace: object.metadata.namespace ?? '',
    object,
    raw,
    ...(prev ? { prev } : {}),
  };
}

/** Decides what a watcher with this filter sees of an event, if anything. */
export function eventTypeFor(filter: WatchFilter, ev: CacheEvent): WatchEventType | undefined {
  if (filter.resource !== ev.resource) return undefined;
  if (filter.namespace && filter.namespace !== ev.namespace) return undefined;
  if (!filter.matches) return ev.type;
  const now = filter.matches(ev.object);
  if (ev.type !== 'MODIFIED') return now ? ev.type : undefined;
  const before = ev.prev ? filter.matches(ev.prev) : now;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

export class WatchCache {
  private readonly buffer: CacheEvent[] = [];
  private readonly watchers = new Map<string, Set<Watcher>>();
  private lastId = '0-0';
  private head = 0;
  private running = false;
  private readonly waiters: Array<() => void> = [];
  private bookmarkTimer: NodeJS.Timeout | undefined;

  constructor(
    /** A dedicated connection: XREAD BLOCK holds it. */
    private readonly reader: Redis,
    private readonly history: number,
    private readonly bookmarkIntervalMs = 10_000,
    private readonly codec = new StorageCodec(),
  ) {}

  /** Loads the retained history and starts following the stream. */
  async start(): Promise<void> {
    await this.reader.connect().catch(() => undefined);
    const recent = (await this.reader.xrevrange(EVENTS_KEY, '+', '-', 'COUNT', this.history)) as StreamEntry[];
    // An event whose value cannot be opened any more (its key was dropped) is left out of the cache.
    for (const entry of recent.reverse()) {
      const ev = parseEntry(entry, this.codec);
      if (ev) this.append(ev);
    }
    const last = recent[recent.length - 1];
    if (last) this.lastId = last[0];
    this.running = true;
    void this.readLoop();
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    this.reader.disconnect();
  }

  /** The newest revision this cache has delivered. */
  get revision(): number {
    return this.head;
  }

  /** The oldest revision a watch may start from (exclusive); older gets 410. */
  get oldestResumable(): number {
    const first = this.buffer[0];
    return first ? first.revision - 1 : this.head;
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      try {
        const res = (await this.reader.xread('COUNT', READ_BATCH, 'BLOCK', READ_BLOCK_MS, 'STREAMS', EVENTS_KEY, this.lastId)) as
          | Array<[string, StreamEntry[]]>
          | null;
        const entries = res?.[0]?.[1] ?? [];
        for (const entry of entries) {
          this.lastId = entry[0];
          const ev = parseEntry(entry, this.codec);
          if (ev) this.dispatch(ev);
        }
      } catch {
        if (!this.running) return;
        // Redis is away; ioredis reconnects. Back off briefly so a dead server is not spun on.
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private append(ev: CacheEvent): void {
    this.buffer.push(ev);
    if (this.buffer.length > this.history * 1.1) this.buffer.splice(0, this.buffer.length - this.history);
    this.head = ev.revision;
  }

  private dispatch(ev: CacheEvent): void {
    if (ev.revision <= this.head) return;
    if (this.head > 0 && ev.revision > this.head + 1) this.expireAll(ev.revision);
    this.append(ev);
    const set = this.watchers.get(ev.resource);
    if (set) {
      for (const w of set) {
        const type = eventTypeFor(w.filter, ev);
        if (type) w.sink.event(type, ev);
      }
    }
    if (this.waiters.length) for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * The stream was trimmed past what this cache had read (it fell far behind): the events in
   * between are gone, so every watcher ends with 410 and the buffer restarts at this revision.
   */
  private expireAll(revision: number): void {
    const message = `the watch cache missed revisions ${this.head + 1} to ${revision - 1}; relist`;
    for (const set of this.watchers.values()) for (const w of set) w.sink.expire(message);
    this.watchers.clear();
    this.buffer.length = 0;
  }

  private sendBookmarks(): void {
    for (const set of this.watchers.values()) for (const w of set) if (w.bookmarks) w.sink.bookmark(this.head);
  }

  /** Resolves once the cache has delivered `revision` (or the timeout passes). */
  async waitFor(revision: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.head < revision && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /**
   * Registers a watcher that receives every matching event after `fromRevision`, replaying the
   * buffered ones first. Throws StorageError TooOld when that history is gone. Returns the
   * function that unregisters it.
   */
  watch(filter: WatchFilter, fromRevision: number, sink: WatchSink, bookmarks: boolean): () => void {
    if (fromRevision < this.oldestResumable) {
      throw new StorageError('TooOld', `too old resource version: ${fromRevision} (${this.oldestResumable})`);
    }
    const w: Watcher = { filter, sink, bookmarks };
    for (let i = this.firstAfter(fromRevision); i < this.buffer.length; i++) {
      const ev = this.buffer[i] as CacheEvent;
      const type = eventTypeFor(filter, ev);
      if (type) sink.event(type, ev);
    }
    let set = this.watchers.get(filter.resource);
    if (!set) this.watchers.set(filter.resource, (set = new Set()));
    set.add(w);
    return () => {
      set.delete(w);
    };
  }

  /** Index of the first buffered event with revision > rev (binary search). */
  private firstAfter(rev: number): number {
    let lo = 0;
    let hi = this.buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.buffer[mid] as CacheEvent).revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get watcherCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }
}
