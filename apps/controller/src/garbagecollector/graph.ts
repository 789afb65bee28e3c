// The garbage collector's view of ownership across every kind it monitors: each object by uid,
// and each owner's dependents (through an owner-uid index on every informer).
//
// Contract:
// - `observe(rt, obj)` / `forget(obj)` keep the uid map in step with the informers' events.
// - `get(uid)` is the cached object with that uid (and its kind), if any.
// - `dependents(uid)` are the cached objects, of any kind, with an ownerReference to `uid`.
// Objects returned are the caches' own: read-only.
import type { KubeObject, ResourceType } from '@kite/api-types';
import { objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import { OWNER_UID_INDEX } from '../framework/informers.js';

export type ReadonlyObject = DeepReadonly<KubeObject>;

export interface Monitor {
  rt: ResourceType;
  store: Indexer<KubeObject>;
}

export interface Located {
  rt: ResourceType;
  obj: ReadonlyObject;
}

export class OwnershipGraph {
  private readonly monitors: Monitor[] = [];
  private readonly byUid = new Map<string, { monitor: Monitor; key: string }>();

  addMonitor(m: Monitor): void {
    this.monitors.push(m);
  }

  observe(m: Monitor, obj: ReadonlyObject): void {
    const uid = obj.metadata.uid;
    if (uid) this.byUid.set(uid, { monitor: m, key: objectKey(obj) });
  }

  forget(obj: ReadonlyObject): void {
    const uid = obj.metadata.uid;
    if (uid && this.byUid.get(uid)?.key === objectKey(obj)) this.byUid.delete(uid);
  }

  has(uid: string): boolean {
    return this.get(uid) !== undefined;
  }

  get(uid: string): Located | undefined {
    const loc = this.byUid.get(uid);
    if (!loc) return undefined;
    const obj = loc.monitor.store.get(loc.key);
    return obj && obj.metadata.uid === uid ? { rt: loc.monitor.rt, obj } : undefined;
  }

  dependents(uid: string): Located[] {
    const out: Located[] = [];
    for (const m of this.monitors) for (const obj of m.store.byIndex(OWNER_UID_INDEX, uid)) out.push({ rt: m.rt, obj });
    return out;
  }
}

/** The finalizers the apiserver adds for Foreground and Orphan deletion. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export function hasFinalizer(obj: ReadonlyObject, name: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(name);
}

/** Being deleted and waiting for its dependents to go first. */
export function waitingForDependents(obj: ReadonlyObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && hasFinalizer(obj, FOREGROUND_FINALIZER);
}

/** Being deleted and waiting for its dependents to be released. */
export function orphaning(obj: ReadonlyObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && hasFinalizer(obj, ORPHAN_FINALIZER);
}
