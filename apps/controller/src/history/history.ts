// ControllerRevisions of a DaemonSet or StatefulSet, the part that talks to the apiserver (Kubernetes'
// constructHistory and cleanupHistory; the pure rules are in revisions.ts).
//
// constructHistory:
//   claim the revisions (owned, or orphans the selector matches) → those equal to the current
//   template: keep the highest, delete duplicates → it is renumbered to the top when an older
//   revision became current again (`kubectl rollout undo`), else a new revision is created with
//   the next number. A name already taken by a different template is a hash collision: bump
//   status.collisionCount and retry (the next hash differs).
// cleanupHistory: delete old revisions beyond revisionHistoryLimit that no pod still runs.
import { DEFAULT_REVISION_HISTORY_LIMIT, type ControllerRevision } from '@kite/api-types';
import { isAlreadyExists, type Selector } from '@kite/apimachinery';
import { mutableCopy, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX } from '../framework/informers.js';
import { claim, controllerRefOf, ignoreNotFound, unpinned } from '../framework/owners.js';
import { maxRevision, newRevision, revisionMatches, revisionsToDelete, type ReadonlyRevision, type RevisionOwner } from './revisions.js';


export interface HistoryDeps {
  revisionStore: Indexer<ControllerRevision>;
  revisions: ResourceClient<ControllerRevision>;
}

/** Where a hash collision is recorded: the owner's status subresource. */
export type OwnerClient<T extends RevisionOwner> = Pick<ResourceClient<T>, 'updateStatus'>;

export interface History {
  current: ReadonlyRevision;
  old: ReadonlyRevision[];
}

/** Thrown after a hash collision was recorded, so the runner retries with the new count. */
export class HashCollisionError extends Error {}

export async function constructHistory<T extends RevisionOwner>(deps: HistoryDeps, owners: OwnerClient<T>, ds: DeepReadonly<T>, selector: Selector): Promise<History> {
  const namespace = ds.metadata.namespace ?? '';
  const claimed = await claim({
    owner: ds,
    selector,
    candidates: [...deps.revisionStore.byIndex(CONTROLLER_UID_INDEX, ds.metadata.uid ?? ''), ...deps.revisionStore.byIndex(ORPHAN_INDEX, namespace)],
    patch: (ns, name, body) => deps.revisions.patch(name, body, { type: 'merge', namespace: ns }),
  });
  const matching = claimed.filter((r) => revisionMatches(r, ds.spec?.template)).sort((a, b) => b.revision - a.revision);
  const old = claimed.filter((r) => !matching.includes(r));
  for (const dup of matching.slice(1)) await ignoreNotFound(deps.revisions.delete(dup.metadata.name ?? '', { namespace, preconditions: { uid: dup.metadata.uid } }));
  const next = maxRevision(old) + 1;
  const found = matching[0];
  if (!found) return { current: await createRevision(deps, owners, ds, next), old };
  if (found.revision >= next) return { current: found, old };
  const copy = mutableCopy(found);
  copy.revision = next;
  return { current: await deps.revisions.update(copy), old };
}

async function createRevision<T extends RevisionOwner>(deps: HistoryDeps, owners: OwnerClient<T>, ds: DeepReadonly<T>, revision: number): Promise<ReadonlyRevision> {
  const cr = newRevision(ds, revision);
  const namespace = ds.metadata.namespace ?? '';
  try {
    return await deps.revisions.create(cr, { namespace });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // The cache may just be behind: the existing revision may be this very template, ours.
  const existing = await deps.revisions.get(cr.metadata.name ?? '', { namespace });
  if (controllerRefOf(existing)?.uid === ds.metadata.uid && revisionMatches(existing, ds.spec?.template)) return existing;
  const copy = mutableCopy(ds) as T;
  copy.status = { ...copy.status, collisionCount: (ds.status?.collisionCount ?? 0) + 1 };
  await owners.updateStatus(unpinned(copy));
  throw new HashCollisionError(`hash collision for ControllerRevision ${cr.metadata.name ?? ''}; collisionCount is now ${copy.status.collisionCount ?? 0}`);
}

/** Deletes old revisions beyond the history limit that none of `liveHashes` uses. */
export async function cleanupHistory(deps: HistoryDeps, ds: DeepReadonly<RevisionOwner>, old: readonly ReadonlyRevision[], liveHashes: ReadonlySet<string>): Promise<void> {
  const victims = revisionsToDelete(old, ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT, liveHashes);
  const namespace = ds.metadata.namespace ?? '';
  await Promise.all(victims.map((r) => ignoreNotFound(deps.revisions.delete(r.metadata.name ?? '', { namespace, preconditions: { uid: r.metadata.uid } }))));
}
