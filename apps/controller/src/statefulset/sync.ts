// syncStatefulSet: one reconcile of one StatefulSet key, in named steps (Kubernetes'
// StatefulSetControl.UpdateStatefulSet):
//   look up the set → claim its pods (selector and `SET-N` name) → revisions (history/: the
//   update revision is the current template's, the current one what status.currentRevision names)
//   → when earlier creates and deletes have all been observed: the plan (plan.ts) → claims first,
//   then pods → history cleanup → status → requeue when a ready pod is about to become available.
// Reads come from the informer caches; cached objects are never modified.
import type { PersistentVolumeClaim, Pod, StatefulSet } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import { mutableCopy, objectKey, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { claimOwnedPods, selectorOrWarn } from '../framework/owned-pod-claims.js';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { Expectations } from '../framework/expectations.js';
import { unpinned } from '../framework/owners.js';
import type { PodControl } from '../framework/pod-control.js';
import { msUntilAvailable, type ReadonlyPod } from '../framework/pods.js';
import { describe, type SyncResult } from '../framework/runner.js';
import { statusChanged } from '../framework/status.js';
import { cleanupHistory, constructHistory, type HistoryDeps } from '../history/history.js';
import { revisionTemplate, type ReadonlyRevision } from '../history/revisions.js';
import { newStatefulPod, ordinalOf, podClaims, podRevision } from './identity.js';
import { planStatefulSet, type PodAction } from './plan.js';
import { computeStatus } from './status.js';

export { REASON_INVALID_SELECTOR } from '../framework/owned-pod-claims.js';
export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_CREATE = 'FailedCreate';

type ReadonlySts = DeepReadonly<StatefulSet>;

export interface StatefulSetSyncDeps extends HistoryDeps {
  setStore: Indexer<StatefulSet>;
  podStore: Indexer<Pod>;
  claimStore: Indexer<PersistentVolumeClaim>;
  sets: ResourceClient<StatefulSet>;
  pods: ResourceClient<Pod>;
  claims: ResourceClient<PersistentVolumeClaim>;
  podControl: PodControl;
  creations: Expectations;
  deletions: Expectations;
  recorder: Recorder;
  now: () => number;
}

export async function syncStatefulSet(deps: StatefulSetSyncDeps, key: string): Promise<SyncResult | void> {
  const set = deps.setStore.get(key);
  if (!set) {
    deps.creations.forget(key);
    deps.deletions.forget(key);
    return;
  }
  const selector = selectorOrWarn(deps.recorder, set);
  if (!selector) return;
  const pods = (await claimOwnedPods(deps, set, selector, (p) => ordinalOf(set, p) !== undefined)).filter((p) => ordinalOf(set, p) !== undefined);
  const history = await constructHistory(deps, deps.sets, set, selector);
  const updateRevision = history.current;
  const currentRevision = history.old.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;
  // StatefulSet pods carry the revision's name (not its hash) in controller-revision-hash.
  const revisions = { current: currentRevision.metadata.name ?? '', update: updateRevision.metadata.name ?? '' };
  const now = deps.now();
  if (!set.metadata.deletionTimestamp && deps.creations.satisfied(key) && deps.deletions.satisfied(key)) {
    const byOrdinal = new Map(pods.map((p) => [ordinalOf(set, p) ?? -1, p] as const));
    const plan = planStatefulSet({ set, pods: byOrdinal, currentRevision: revisions.current, updateRevision: revisions.update, now });
    await apply(deps, set, key, plan.actions, { current: currentRevision, update: updateRevision });
    await cleanupHistory(deps, set, history.old.filter((r) => r !== currentRevision), new Set(pods.map((p) => podRevision(p) ?? '')));
  }
  await writeStatus(deps, set, pods, { current: currentRevision, update: updateRevision }, now);
  const next = Math.min(...pods.map((p) => msUntilAvailable(p, set.spec?.minReadySeconds ?? 0, now) ?? Infinity));
  return Number.isFinite(next) ? { requeueAfterMs: next } : undefined;
}

interface Revisions {
  current: ReadonlyRevision;
  update: ReadonlyRevision;
}

async function apply(deps: StatefulSetSyncDeps, set: ReadonlySts, key: string, actions: readonly PodAction[], revisions: Revisions): Promise<void> {
  const namespace = set.metadata.namespace ?? '';
  const creates = actions.filter((a) => a.kind === 'create');
  const deletes = actions.filter((a) => a.kind === 'delete');
  deps.creations.expectCreations(key, creates.length);
  deps.deletions.expectDeletions(key, deletes.map((a) => objectKey(a.pod)));
  await Promise.all([
    ...creates.map(async (a) => {
      const rev = revisions.current.metadata.name === a.revision ? revisions.current : revisions.update;
      try {
        await createClaims(deps, set, a.ordinal);
        const pod = newStatefulPod(set, revisionTemplate(rev) ?? {}, a.ordinal, a.revision);
        await deps.podControl.createPod(namespace, pod);
        deps.recorder.event(set, EVENT_NORMAL, REASON_SUCCESSFUL_CREATE, `create Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`);
      } catch (err) {
        deps.creations.creationFailed(key);
        // The previous pod of that name is still being removed: the next sync tries again.
        if (isAlreadyExists(err)) return;
        deps.recorder.event(set, EVENT_WARNING, REASON_FAILED_CREATE, `create Pod ${set.metadata.name ?? ''}-${a.ordinal} in StatefulSet ${set.metadata.name ?? ''} failed error: ${describe(err)}`);
        throw err;
      }
    }),
    ...deletes.map(async (a) => {
      const name = a.pod.metadata.name ?? '';
      if (a.why === 'condemned') await releaseClaimsOnScaleDown(deps, set, a.pod);
      const deleted = await deps.podControl.deletePod(namespace, name, a.pod.metadata.uid).catch((err: unknown) => {
        deps.deletions.deletionFailed(key, objectKey(a.pod));
        throw err;
      });
      if (!deleted) deps.deletions.deletionObserved(key, objectKey(a.pod));
      deps.recorder.event(set, EVENT_NORMAL, REASON_SUCCESSFUL_DELETE, `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`);
    }),
  ]);
}

/** Creates the pod's claims that do not exist yet; a claim being deleted makes the pod wait. */
async function createClaims(deps: StatefulSetSyncDeps, set: ReadonlySts, ordinal: number): Promise<void> {
  for (const pvc of podClaims(set, ordinal)) {
    const existing = deps.claimStore.get(`${pvc.metadata.namespace ?? ''}/${pvc.metadata.name ?? ''}`);
    if (existing?.metadata.deletionTimestamp) throw new Error(`pvc ${pvc.metadata.name ?? ''} is being deleted`);
    if (existing) continue;
    try {
      await deps.claims.create(pvc, { namespace: pvc.metadata.namespace ?? '' });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

/** whenScaled: Delete → the claims of a condemned pod are handed to the pod, so the garbage collector takes them with it. */
async function releaseClaimsOnScaleDown(deps: StatefulSetSyncDeps, set: ReadonlySts, pod: ReadonlyPod): Promise<void> {
  if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
  const ordinal = ordinalOf(set, pod);
  if (ordinal === undefined) return;
  const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', blockOwnerDeletion: true };
  for (const pvc of podClaims(set, ordinal)) {
    const existing = deps.claimStore.get(`${pvc.metadata.namespace ?? ''}/${pvc.metadata.name ?? ''}`);
    if (!existing || existing.metadata.ownerReferences?.some((r) => r.uid === ref.uid)) continue;
    const refs = [...(existing.metadata.ownerReferences ?? []), ref];
    await deps.claims.patch(existing.metadata.name ?? '', { metadata: { ownerReferences: refs, resourceVersion: existing.metadata.resourceVersion } }, { type: 'merge', namespace: pvc.metadata.namespace ?? '' });
  }
}

async function writeStatus(deps: StatefulSetSyncDeps, set: ReadonlySts, pods: readonly ReadonlyPod[], revisions: Revisions, now: number): Promise<void> {
  const status = computeStatus({ set, pods, currentRevision: revisions.current.metadata.name ?? '', updateRevision: revisions.update.metadata.name ?? '', now });
  if (!statusChanged(set.status, status)) return;
  const copy = mutableCopy(set);
  copy.status = status;
  await deps.sets.updateStatus(unpinned(copy));
}
