// How list results and watch events change an informer's cache, and which notifications follow.
//
// Contract:
// - `relistDiff(store, items)` compares the cache with a fresh list: objects new to the cache are
//   `add`, objects whose resourceVersion changed are `update`, cached objects missing from the list
//   are `delete` (with their last cached state: the real final state was in events we never saw).
//   Objects with an unchanged resourceVersion produce nothing. It does not change the store.
// - `applyWatchEvent(store, event)` applies one event to the store and returns the notification:
//   ADDED or MODIFIED of an unknown key is `add`, of a known key `update`; DELETED is `delete`
//   with the event's object (its final state); DELETED of a key that is not cached produces nothing.
//   BOOKMARK changes nothing.
import type { KubeObject } from '@kite/api-types';
import type { DeepReadonly } from '../cache/readonly.js';
import type { Store } from '../cache/store.js';
import type { WatchEvent } from '../watch/watch.js';
import type { Notification } from './notifications.js';

/** Whether two versions of an object differ, by resourceVersion (or content when it is absent). */
function changed<T extends KubeObject>(a: DeepReadonly<T>, b: DeepReadonly<T>): boolean {
  const ra = a.metadata.resourceVersion;
  const rb = b.metadata.resourceVersion;
  if (ra !== undefined && rb !== undefined) return ra !== rb;
  return JSON.stringify(a) !== JSON.stringify(b);
}

export function relistDiff<T extends KubeObject>(store: Store<T>, items: readonly T[]): Notification<T>[] {
  const out: Notification<T>[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const obj = item as DeepReadonly<T>;
    const key = store.keyFunc(obj);
    seen.add(key);
    const old = store.get(key);
    if (old === undefined) out.push({ type: 'add', obj });
    else if (changed(old, obj)) out.push({ type: 'update', oldObj: old, newObj: obj });
  }
  for (const key of store.keys()) {
    const old = store.get(key);
    if (!seen.has(key) && old !== undefined) out.push({ type: 'delete', obj: old });
  }
  return out;
}

export function applyWatchEvent<T extends KubeObject>(store: Store<T>, event: WatchEvent<T>): Notification<T> | undefined {
  switch (event.type) {
    case 'BOOKMARK':
      return undefined;
    case 'ADDED':
    case 'MODIFIED': {
      const old = store.upsert(event.object);
      const obj = event.object as DeepReadonly<T>;
      return old === undefined ? { type: 'add', obj } : { type: 'update', oldObj: old, newObj: obj };
    }
    case 'DELETED': {
      const old = store.remove(store.keyFunc(event.object as DeepReadonly<T>));
      return old === undefined ? undefined : { type: 'delete', obj: event.object as DeepReadonly<T> };
    }
  }
}
