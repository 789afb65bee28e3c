// The object store on Redis: get, list (atomically with the revision it read at), and the three
// writes, each one Lua script (scripts.ts). It knows nothing of HTTP or validation.
import { Redis } from 'ioredis';
import type { KubeObject } from '@kite/api-types';
import { StorageCodec } from './codec.js';
import { StorageError } from './errors.js';
import { EVENTS_KEY, REVISION_KEY, indexKey, member, objectKey, objectKeyPrefix, type ObjectRef } from './keys.js';
import { CREATE, DELETE, LIST, UPDATE } from './scripts.js';

/** How many revisions of history the change stream keeps by default (older watches get 410). */
export const DEFAULT_HISTORY = 10_000;

type WriteReply = [number, number | string | null];

interface ScriptedRedis extends Redis {
  kiteCreate(k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: string[]): Promise<WriteReply>;
  kiteUpdate(k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: string[]): Promise<WriteReply>;
  kiteDelete(k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: string[]): Promise<WriteReply>;
  kiteList(k1: string, k2: string, ...argv: string[]): Promise<[string, string[], string | null]>;
}

export interface ListPage<T> {
  items: T[];
  revision: number;
  /** The last member returned when more remain (the continue position), else undefined. */
  next?: string;
}

export interface StoreOptions {
  redisUrl: string;
  history?: number;
  /** Redis AUTH password (requirepass). */
  password?: string;
  /** Seals the resources an EncryptionConfiguration names (default: none). */
  codec?: StorageCodec;
}

export function createRedis(url: string, password?: string): Redis {
  return new Redis(url, {
    ...(password ? { password } : {}),
    enableAutoPipelining: true,
    maxRetriesPerRequest: 3,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  });
}

export class Store {
  readonly redis: ScriptedRedis;
  readonly history: number;
  readonly codec: StorageCodec;

  constructor(opts: StoreOptions) {
    this.history = opts.history ?? DEFAULT_HISTORY;
    this.codec = opts.codec ?? new StorageCodec();
    const redis = createRedis(opts.redisUrl, opts.password);
    redis.defineCommand('kiteCreate', { numberOfKeys: 5, lua: CREATE });
    redis.defineCommand('kiteUpdate', { numberOfKeys: 5, lua: UPDATE });
    redis.defineCommand('kiteDelete', { numberOfKeys: 5, lua: DELETE });
    redis.defineCommand('kiteList', { numberOfKeys: 2, lua: LIST });
    this.redis = redis as ScriptedRedis;
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  async revision(): Promise<number> {
    return Number((await this.redis.get(REVISION_KEY)) ?? 0);
  }

  async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const json = await this.redis.get(objectKey(ref));
    return json === null ? undefined : this.codec.decode<T>(ref.resource, json);
  }

  private writeKeys(ref: ObjectRef): [string, string, string, string, string] {
    return [objectKey(ref), indexKey(ref.resource, ref.namespace || undefined), indexKey(ref.resource), REVISION_KEY, EVENTS_KEY];
  }

  /** Creates the object; its resourceVersion is set to the revision taken. */
  async create<T extends KubeObject>(ref: ObjectRef, obj: T): Promise<T> {
    const { head, tail } = this.codec.splitForWrite(ref.resource, obj);
    const [ok, rev] = await this.redis.kiteCreate(...this.writeKeys(ref), head, tail, ref.name, member(ref), ref.resource, String(this.history));
    if (ok === 0) throw new StorageError('KeyExists', `${ref.resource} ${member(ref)} exists`);
    return withRevision(obj, rev);
  }

  /** Replaces the object if its stored resourceVersion is still `expectedRv`. */
  async update<T extends KubeObject>(ref: ObjectRef, obj: T, expectedRv: string): Promise<T> {
    const { head, tail } = this.codec.splitForWrite(ref.resource, obj);
    const [ok, rev] = await this.redis.kiteUpdate(...this.writeKeys(ref), head, tail, expectedRv, '', ref.resource, String(this.history));
    checkWrite(ok, rev, ref);
    return withRevision(obj, rev);
  }

  /**
   * Deletes the object if its stored resourceVersion is still `expectedRv`. `obj` is the object as
   * read at that version; it is returned (and sent to watchers) with the deletion's revision.
   */
  async delete<T extends KubeObject>(ref: ObjectRef, obj: T, expectedRv: string): Promise<T> {
    const { head, tail } = this.codec.splitForWrite(ref.resource, obj);
    const [ok, rev] = await this.redis.kiteDelete(...this.writeKeys(ref), head, tail, expectedRv, ref.name, ref.resource, String(this.history), member(ref));
    checkWrite(ok, rev, ref);
    return withRevision(obj, rev);
  }

  /**
   * Lists a resource in one namespace, or in all (namespace undefined), in name order, starting
   * after `after` (a member returned as `next` by an earlier page), at most `limit` items (0 = all).
   */
  async list<T extends KubeObject>(resource: string, namespace: string | undefined, limit = 0, after?: string): Promise<ListPage<T>> {
    const start = after ? `(${after}` : '-';
    const [rev, items, next] = await this.redis.kiteList(indexKey(resource, namespace), REVISION_KEY, start, String(limit), objectKeyPrefix(resource, namespace));
    return { revision: Number(rev), items: items.map((j) => this.codec.decode<T>(resource, j)), ...(next ? { next } : {}) };
  }

  /** Whether Redis answers; for /readyz. */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}

function withRevision<T extends KubeObject>(obj: T, rev: number | string | null): T {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } };
}

function checkWrite(ok: number, rev: number | string | null, ref: ObjectRef): void {
  if (ok === 0) throw new StorageError('KeyNotFound', `${ref.resource} ${member(ref)} not found`);
  if (ok === -1) throw new StorageError('Conflict', `${ref.resource} ${member(ref)} was modified`, String(rev));
}
