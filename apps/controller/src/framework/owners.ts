// Ownership: controller references and the claim rules every workload controller follows
// (a Deployment claims ReplicaSets, a ReplicaSet claims pods).
//
// Contract of `claim`:
// - An object whose controller reference names another owner is never touched.
// - An object we control that still matches our selector is ours; one that stopped matching is
//   released (its controller reference removed), unless we are being deleted.
// - An orphan (no controller reference) that matches, is not itself being deleted, while we are
//   not being deleted, is adopted (a controller reference added).
// - Adopt and release are merge patches pinned to the object's resourceVersion, so they fail with
//   409 rather than overwrite a change the cache has not shown yet; 404 means the object is gone
//   and is skipped. Any other failure throws (the runner retries the sync).
import type { OwnerReference } from '@kite/api-types';
import { isNotFound, type Selector } from '@kite/apimachinery';
import type { DeepMutable, DeepReadonly } from '@kite/client';

export type ReadonlyOwnerRef = DeepReadonly<OwnerReference>;

interface Owned {
  readonly metadata: {
    readonly uid?: string;
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly deletionTimestamp?: string;
    readonly resourceVersion?: string;
    readonly ownerReferences?: readonly ReadonlyOwnerRef[];
  };
}

/** The owner reference marked `controller: true`, if any. */
export function controllerRefOf(obj: Owned): ReadonlyOwnerRef | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller reference to `owner`, as set on the objects it creates. */
export function newControllerRef(owner: Owned & { readonly apiVersion: string; readonly kind: string }): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** What `claim` needs to change ownership: a merge patch of one object by name. */
export type OwnerPatcher = (namespace: string, name: string, patch: unknown) => Promise<unknown>;

export interface ClaimOptions<T extends Owned> {
  owner: Owned & { readonly apiVersion: string; readonly kind: string };
  selector: Selector;
  candidates: readonly T[];
  patch: OwnerPatcher;
}

/** The candidates `owner` controls after adopting and releasing as the contract says. */
export async function claim<T extends Owned>(opts: ClaimOptions<T>): Promise<T[]> {
  const { owner, selector, candidates } = opts;
  const ownerUid = owner.metadata.uid;
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  const claimed: T[] = [];
  const changes: Promise<void>[] = [];
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches || ownerDeleting) claimed.push(obj);
      else changes.push(release(obj, ownerUid, opts.patch));
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata.deletionTimestamp) continue;
    changes.push(adopt(obj, newControllerRef(owner), opts.patch).then((ok) => void (ok && claimed.push(obj))));
  }
  await Promise.all(changes);
  return claimed;
}

async function adopt(obj: Owned, ref: OwnerReference, patch: OwnerPatcher): Promise<boolean> {
  const refs = [...(obj.metadata.ownerReferences ?? []), ref];
  return ignoreNotFound(patch(obj.metadata.namespace ?? '', obj.metadata.name ?? '', ownerPatch(obj, refs)));
}

async function release(obj: Owned, ownerUid: string | undefined, patch: OwnerPatcher): Promise<void> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  await ignoreNotFound(patch(obj.metadata.namespace ?? '', obj.metadata.name ?? '', ownerPatch(obj, refs)));
}

/** A merge patch replacing the owner references, pinned to the version we decided on. */
export function ownerPatch(obj: Owned, refs: readonly ReadonlyOwnerRef[]): unknown {
  return { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } };
}

/** Resolves true when the call succeeded, false when the object was already gone. */
export async function ignoreNotFound(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * A cached object typed as mutable — no copy is made — for passing to functions that only read
 * their argument but were declared with mutable types (e.g. selectorFromLabelSelector).
 */
export function forReading<R>(obj: R): DeepMutable<R> {
  return obj as DeepMutable<R>;
}

/**
 * The object without its resourceVersion, so a PUT of its status is not refused with 409 when
 * the cache is one write behind. Only for status this controller alone writes and recomputes
 * from scratch on every sync (ReplicaSet, Deployment, Namespace conditions): a write based on a
 * slightly stale object is corrected by the next sync, and it can only claim an older
 * observedGeneration, never a newer one. Status that others also write (node and pod conditions,
 * which kubelets own) stays pinned.
 */
export function unpinned<T extends { metadata: { resourceVersion?: string } }>(obj: T): T {
  delete obj.metadata.resourceVersion;
  return obj;
}
