// The garbage collector's three syncs, one per queue-key kind:
//
// attemptToDelete(dependent): classify each owner reference —
//   dangling  the owner is gone (not cached, and a live GET says 404 or shows another uid);
//   waiting   the owner is being deleted in the foreground (foregroundDeletion finalizer);
//   solid     anything else.
//   Some solid owner → keep the object, but drop its references to dangling and waiting owners.
//   Otherwise → delete it: in the foreground when an owner waits for it and it has dependents of
//   its own (so they go first, and block as it does), else in the background.
// processForeground(owner): make sure every dependent is being deleted; once no dependent with
//   blockOwnerDeletion is left, remove the foregroundDeletion finalizer (the apiserver then
//   deletes the owner).
// processOrphan(owner): remove the owner's reference from every dependent, then the orphan
//   finalizer.
// Deletes carry a uid precondition, and patches a resourceVersion, so a re-created object of the
// same name is never touched by mistake.
import { resourceForKind, type KubeObject, type OwnerReference, type ResourceType } from '@kite/api-types';
import { isConflict, isNotFound } from '@kite/apimachinery';
import type { DeepReadonly, KubeClient } from '@kite/client';
import { ignoreNotFound, ownerPatch } from '../framework/owners.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, orphaning, waitingForDependents, type OwnershipGraph, type ReadonlyObject } from './graph.js';

export interface GCDeps {
  graph: OwnershipGraph;
  client: KubeClient;
  /** Asks for a dependent to be looked at (foreground processing fans out through this). */
  enqueueDependent: (uid: string) => void;
}

type OwnerState = 'dangling' | 'waiting' | 'solid';
type Ref = DeepReadonly<OwnerReference>;

async function ownerState(deps: GCDeps, ref: Ref, namespace: string | undefined): Promise<OwnerState> {
  const cached = deps.graph.get(ref.uid);
  if (cached) return waitingForDependents(cached.obj) ? 'waiting' : 'solid';
  const rt = resourceForKind(ref.apiVersion, ref.kind);
  // A kind this apiserver does not serve cannot be checked: never delete on a guess.
  if (!rt) return 'solid';
  try {
    const live = await deps.client.resource(rt).get(ref.name, { namespace: rt.namespaced ? namespace : undefined });
    if (live.metadata.uid !== ref.uid) return 'dangling';
    return waitingForDependents(live) ? 'waiting' : 'solid';
  } catch (err) {
    if (isNotFound(err)) return 'dangling';
    throw err;
  }
}

export async function attemptToDelete(deps: GCDeps, uid: string): Promise<void> {
  const item = deps.graph.get(uid);
  if (!item) return;
  const { rt, obj } = item;
  if (obj.metadata.deletionTimestamp && !waitingForDependents(obj)) return;
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0) return;
  const states = await Promise.all(refs.map((r) => ownerState(deps, r, obj.metadata.namespace)));
  const solid = refs.filter((_, i) => states[i] === 'solid');
  if (solid.length > 0) {
    if (solid.length < refs.length) await patchObject(deps, rt, obj, ownerPatch(obj, solid));
    return;
  }
  if (obj.metadata.deletionTimestamp) return;
  const ownerWaits = states.includes('waiting');
  const policy = ownerWaits && deps.graph.dependents(uid).length > 0 ? 'Foreground' : 'Background';
  await deleteObject(deps, rt, obj, policy);
}

export async function processForeground(deps: GCDeps, uid: string): Promise<void> {
  const item = deps.graph.get(uid);
  if (!item || !waitingForDependents(item.obj)) return;
  const dependents = deps.graph.dependents(uid);
  for (const d of dependents) if (!d.obj.metadata.deletionTimestamp && d.obj.metadata.uid) deps.enqueueDependent(d.obj.metadata.uid);
  const blocking = dependents.filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
  if (blocking.length === 0) await removeFinalizer(deps, item.rt, item.obj, FOREGROUND_FINALIZER);
}

export async function processOrphan(deps: GCDeps, uid: string): Promise<void> {
  const item = deps.graph.get(uid);
  if (!item || !orphaning(item.obj)) return;
  await Promise.all(
    deps.graph.dependents(uid).map((d) =>
      patchObject(deps, d.rt, d.obj, ownerPatch(d.obj, (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid))),
    ),
  );
  await removeFinalizer(deps, item.rt, item.obj, ORPHAN_FINALIZER);
}

async function removeFinalizer(deps: GCDeps, rt: ResourceType, obj: ReadonlyObject, finalizer: string): Promise<void> {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await patchObject(deps, rt, obj, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: rest.length > 0 ? rest : null } });
}

async function patchObject(deps: GCDeps, rt: ResourceType, obj: ReadonlyObject, body: unknown): Promise<void> {
  await ignoreNotFound(deps.client.resource<KubeObject>(rt).patch(obj.metadata.name ?? '', body, { type: 'merge', namespace: obj.metadata.namespace }));
}

async function deleteObject(deps: GCDeps, rt: ResourceType, obj: ReadonlyObject, policy: 'Foreground' | 'Background'): Promise<void> {
  try {
    await deps.client.resource<KubeObject>(rt).delete(obj.metadata.name ?? '', {
      namespace: obj.metadata.namespace,
      propagationPolicy: policy,
      preconditions: { uid: obj.metadata.uid },
    });
  } catch (err) {
    // Gone already, or replaced by a new object of the same name (uid precondition): done.
    if (isNotFound(err) || isConflict(err)) return;
    throw err;
  }
}
