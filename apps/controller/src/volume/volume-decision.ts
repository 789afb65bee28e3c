// What the binder does for one volume (pv_controller's syncVolume, as a pure decision):
//
//   no claimRef                          → Available
//   claimRef without uid (user pre-bound) → Available; the claim's sync binds it
//   claim gone (or a new claim of that name, other uid) → Released, then reclaim:
//                                           Retain keeps it, Delete deletes the PV object,
//                                           Recycle (no recycler in kite) → Failed
//   claim not bound yet                   → nothing (the claim's sync binds it)
//   claim bound to this volume            → Bound
//   claim bound elsewhere                 → bound by the controller: unbind (Available);
//                                           provisioned for it: reclaim; pre-bound by the user: leave it
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumePhase } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY } from './names.js';

type PV = DeepReadonly<PersistentVolume>;
type PVC = DeepReadonly<PersistentVolumeClaim>;

export type VolumeAction =
  | { kind: 'none' }
  | { kind: 'phase'; phase: PersistentVolumePhase }
  /** The claim looks gone: confirm with the apiserver, then Released and reclaim. */
  | { kind: 'release' }
  | { kind: 'reclaim'; policy: 'Retain' | 'Delete' | 'Recycle' }
  | { kind: 'unbind' };

const setPhase = (pv: PV, phase: PersistentVolumePhase): VolumeAction => (pv.status?.phase === phase ? { kind: 'none' } : { kind: 'phase', phase });

export function decideVolume(pv: PV, claim: PVC | undefined): VolumeAction {
  const ref = pv.spec?.claimRef;
  if (!ref) return setPhase(pv, 'Available');
  if (!ref.uid) return claim?.spec?.volumeName === pv.metadata.name ? { kind: 'none' } : setPhase(pv, 'Available');
  const same = claim && claim.metadata.uid === ref.uid ? claim : undefined;
  if (!same) {
    const phase = pv.status?.phase;
    if (phase === 'Released') return { kind: 'reclaim', policy: pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain' };
    return phase === 'Failed' ? { kind: 'none' } : { kind: 'release' };
  }
  const bound = same.spec?.volumeName;
  if (!bound) return { kind: 'none' };
  if (bound === pv.metadata.name) return setPhase(pv, 'Bound');
  if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') return setPhase(pv, 'Released');
  return pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] ? { kind: 'unbind' } : { kind: 'none' };
}
