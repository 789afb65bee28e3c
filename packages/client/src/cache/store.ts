// Store: the informer's local cache of objects by key, with secondary indexes.
//
// Contract:
// - Objects are kept by `keyFunc` (default `objectKey`: `namespace/name` or `name`).
// - Readers (`Indexer<T>`: get, list, keys, byIndex) receive the cached objects themselves, typed
//   `DeepReadonly<T>`: never mutate them (see readonly.ts). The store takes ownership of objects
//   passed to `upsert`/`replace`; callers must not keep mutating them either.
// - `addIndexer(name, fn)` registers an index function returning the index values of an object
//   (e.g. `spec.nodeName`); `byIndex(name, value)` returns the objects whose values include `value`.
//   Existing objects are indexed at once, so indexers may be added before or after the first sync.
// - Each mutation (`upsert`, `remove`, `replace`) updates the objects and every index before it
//   returns, so a reader never sees an index out of step with the objects.
import { objectKey, type Keyed } from './keys.js';
import type { DeepReadonly } from './readonly.js';

export type IndexFunc<T> = (obj: DeepReadonly<T>) => readonly string[];

/** The read side of a cache, as listers and controllers see it. */
export interface Indexer<T> {
  /** The object stored under `key` (`namespace/name` or `name`). */
  get(key: string): DeepReadonly<T> | undefined;
  list(): DeepReadonly<T>[];
  keys(): string[];
  size(): number;
  addIndexer(name: string, fn: IndexFunc<T>): void;
  /** Objects whose index function `name` returned `value`. Throws for an unknown index. */
  byIndex(name: string, value: string): DeepReadonly<T>[];
  /** Keys of the objects `byIndex(name, value)` would return. */
  indexKeys(name: string, value: string): string[];
}

export interface StoreOptions<T> {
  keyFunc?: (obj: DeepReadonly<T>) => string;
}

/** Index name → index value → keys. */
type Indices = Map<string, Map<string, Set<string>>>;

/** Index by namespace, so a controller can list one namespace's objects. */
export const NAMESPACE_INDEX = 'namespace';
export const namespaceIndexFunc = (obj: DeepReadonly<Keyed>): string[] => [obj.metadata.namespace ?? ''];

export class Store<T> implements Indexer<T> {
  private readonly items = new Map<string, DeepReadonly<T>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices: Indices = new Map();
  readonly keyFunc: (obj: DeepReadonly<T>) => string;

  constructor(opts: StoreOptions<T> = {}) {
    this.keyFunc = opts.keyFunc ?? ((obj) => objectKey(obj as DeepReadonly<Keyed>));
  }

  get(key: string): DeepReadonly<T> | undefined {
    return this.items.get(key);
  }

  list(): DeepReadonly<T>[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`indexer ${name} already exists`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
  }

  byIndex(name: string, value: string): DeepReadonly<T>[] {
    const out: DeepReadonly<T>[] = [];
    for (const key of this.indexKeys(name, value)) {
      const obj = this.items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  indexKeys(name: string, value: string): string[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no indexer named ${name}`);
    return [...(index.get(value) ?? [])];
  }

  /** Adds or replaces an object; returns the one it replaced. */
  upsert(obj: T): DeepReadonly<T> | undefined {
    const stored = obj as DeepReadonly<T>;
    const key = this.keyFunc(stored);
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, stored);
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, stored);
    return old;
  }

  /** Removes the object under `key`; returns it. */
  remove(key: string): DeepReadonly<T> | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Replaces the whole content, e.g. after a relist. */
  replace(objs: readonly T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of objs) this.upsert(obj);
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: DeepReadonly<T>): void {
    const index = this.indices.get(name);
    if (!index) return;
    for (const value of new Set(fn(obj))) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: DeepReadonly<T>): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name);
      if (!index) continue;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
