// Carrying out the binder's volume decisions (volume-decision.ts): phase changes, releasing a
// volume whose claim is gone (confirmed with the apiserver first, since the cache may simply not
// have seen a new claim yet), reclaiming it (Retain keeps it Released for an administrator;
// Delete deletes the PV object - for local-path volumes the node's kubelet then removes the
// directory and the kite.dev/local-path-cleanup finalizer; Recycle has no recycler in kite, so
// Failed) and unbinding a volume the controller bound to a claim that now names another volume.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumePhase } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import type { DeepReadonly } from '@kite/client';
import { EVENT_WARNING } from '../framework/events.js';
import { claimApi, copy, volumeApi, type BinderDeps } from './binder-deps.js';
import { ANN_BOUND_BY_CONTROLLER, EVENT_VOLUME_FAILED_RECYCLE } from './names.js';
import { decideVolume } from './volume-decision.js';

type PV = DeepReadonly<PersistentVolume>;

async function setPhase(deps: BinderDeps, volume: PV | PersistentVolume, phase: PersistentVolumePhase, message?: string): Promise<void> {
  const pv = copy<PersistentVolume>(volume as PV);
  pv.status = { phase, lastPhaseTransitionTime: new Date().toISOString(), ...(message ? { message } : {}) };
  await volumeApi(deps).updateStatus(pv);
}

/** Whether the claim the volume names is really gone (or replaced by one with another uid). */
async function claimGone(deps: BinderDeps, pv: PV): Promise<boolean> {
  const ref = pv.spec?.claimRef;
  if (!ref?.name) return true;
  try {
    const live: PersistentVolumeClaim = await claimApi(deps).get(ref.name, { namespace: ref.namespace ?? '' });
    return live.metadata.uid !== ref.uid;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

async function reclaim(deps: BinderDeps, pv: PV, policy: 'Retain' | 'Delete' | 'Recycle'): Promise<void> {
  if (policy === 'Retain') return;
  if (policy === 'Recycle') {
    deps.recorder.event(pv, EVENT_WARNING, EVENT_VOLUME_FAILED_RECYCLE, 'No recycler plugin found for the volume!');
    return setPhase(deps, pv, 'Failed', 'No recycler plugin found for the volume!');
  }
  if (pv.metadata.deletionTimestamp) return;
  try {
    await volumeApi(deps).delete(pv.metadata.name ?? '');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function unbind(deps: BinderDeps, volume: PV): Promise<void> {
  const pv = copy<PersistentVolume>(volume);
  const spec = (pv.spec ??= {});
  if (pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    delete spec.claimRef;
    delete pv.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
  } else if (spec.claimRef) spec.claimRef.uid = '';
  await setPhase(deps, await volumeApi(deps).update(pv), 'Available');
}

export async function syncVolume(deps: BinderDeps, pv: PV): Promise<void> {
  const ref = pv.spec?.claimRef;
  const claim = ref?.name ? deps.claims.get(`${ref.namespace ?? ''}/${ref.name}`) : undefined;
  const action = decideVolume(pv, claim);
  switch (action.kind) {
    case 'phase':
      return setPhase(deps, pv, action.phase);
    case 'release':
      if (await claimGone(deps, pv)) await setPhase(deps, pv, 'Released');
      return;
    case 'reclaim':
      return reclaim(deps, pv, action.policy);
    case 'unbind':
      return unbind(deps, pv);
    case 'none':
      return;
  }
}
