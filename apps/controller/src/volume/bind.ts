// Carrying out a bind (pv_controller's bind): four writes, each skipped when already done, in
// Kubernetes' order so a crash between them heals on the next sync:
//   1. PV.spec.claimRef → the claim (annotated bound-by-controller when the controller chose it)
//   2. PV.status.phase = Bound
//   3. PVC.spec.volumeName → the PV, annotated bind-completed (and bound-by-controller)
//   4. PVC.status: phase Bound, the PV's access modes and capacity
// Each write carries the resourceVersion it read, so two claims racing for one volume cannot
// both win: the loser gets 409 and is retried against fresh caches.
import type { ObjectReference, PersistentVolume, PersistentVolumeClaim } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { claimApi, copy, volumeApi, type BinderDeps } from './binder-deps.js';
import { isVolumeBoundToClaim } from './matching.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_YES } from './names.js';

type PV = DeepReadonly<PersistentVolume>;
type PVC = DeepReadonly<PersistentVolumeClaim>;

function claimRefOf(claim: PVC): ObjectReference {
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace ?? '', name: claim.metadata.name ?? '', uid: claim.metadata.uid ?? '', resourceVersion: claim.metadata.resourceVersion ?? '' };
}

async function bindVolumeToClaim(deps: BinderDeps, volume: PV, claim: PVC): Promise<PersistentVolume> {
  const ref = volume.spec?.claimRef;
  const pv = copy<PersistentVolume>(volume);
  if (ref?.uid === claim.metadata.uid && isVolumeBoundToClaim(volume, claim)) return pv;
  const spec = (pv.spec ??= {});
  if (!ref) (pv.metadata.annotations ??= {})[ANN_BOUND_BY_CONTROLLER] = ANN_YES;
  spec.claimRef = claimRefOf(claim);
  return volumeApi(deps).update(pv);
}

async function markVolumeBound(deps: BinderDeps, pv: PersistentVolume): Promise<void> {
  if (pv.status?.phase === 'Bound') return;
  pv.status = { ...pv.status, phase: 'Bound', lastPhaseTransitionTime: new Date().toISOString() };
  delete pv.status.reason;
  delete pv.status.message;
  await volumeApi(deps).updateStatus(pv);
}

async function bindClaimToVolume(deps: BinderDeps, claim: PVC, pv: PersistentVolume): Promise<PersistentVolumeClaim> {
  const pvc = copy<PersistentVolumeClaim>(claim);
  const annotations = (pvc.metadata.annotations ??= {});
  const spec = (pvc.spec ??= {});
  if (spec.volumeName === pv.metadata.name && annotations[ANN_BIND_COMPLETED] !== undefined) return pvc;
  if (!spec.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = ANN_YES;
  annotations[ANN_BIND_COMPLETED] = ANN_YES;
  spec.volumeName = pv.metadata.name ?? '';
  return claimApi(deps).update(pvc);
}

/**
 * The capacity is copied only when the claim becomes Bound, as Kubernetes does: afterwards a
 * difference is the expander's business (the claim records the size its volume was grown to).
 */
async function markClaimBound(deps: BinderDeps, pvc: PersistentVolumeClaim, pv: PersistentVolume): Promise<void> {
  const status = pvc.status ?? {};
  if (status.phase === 'Bound' && status.accessModes?.length && status.capacity) return;
  pvc.status = { ...status, phase: 'Bound', accessModes: status.accessModes?.length ? status.accessModes : (pv.spec?.accessModes ?? []) };
  if (status.phase !== 'Bound' || !status.capacity) pvc.status.capacity = pv.spec?.capacity ?? {};
  await claimApi(deps).updateStatus(pvc);
}

export async function bind(deps: BinderDeps, claim: PVC, volume: PV): Promise<void> {
  const pv = await bindVolumeToClaim(deps, volume, claim);
  await markVolumeBound(deps, pv);
  const pvc = await bindClaimToVolume(deps, claim, pv);
  await markClaimBound(deps, pvc, pv);
}
