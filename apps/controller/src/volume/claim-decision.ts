// What the binder does for one claim (pv_controller's syncClaim, as a pure decision): the claim,
// the volumes and classes in the cache in; one action out, which binder.ts carries out. Keeping
// the decision pure lets the table tests walk every branch without a cluster.
//
//   not bound yet (no bind-completed annotation):
//     no volumeName  → WaitForFirstConsumer class without selected-node: bind the volume the
//                      scheduler pre-bound (claimRef), else wait (Event)
//                    → a fitting volume (matching.ts): bind it
//                    → no class: Pending, FailedBinding Event
//                    → class missing: Pending, ProvisioningFailed Event
//                    → else provision (the class's provisioner, on the selected node if any)
//     volumeName set (pre-bound by the user) → volume missing: Pending
//                    → volume unclaimed and fitting, or claimed by this claim: bind
//                    → volume does not fit: Pending, VolumeMismatch Event
//                    → volume claimed by another: Pending, FailedBinding Event
//   bound → volume gone or claimed by another: Lost (Event); else re-assert the binding.
import type { EventType, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { findBestMatch, isVolumeBoundToClaim, volumeMismatch } from './matching.js';
import {
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  EVENT_CLAIM_LOST,
  EVENT_CLAIM_MISBOUND,
  EVENT_FAILED_BINDING,
  EVENT_PROVISIONING_FAILED,
  EVENT_VOLUME_MISMATCH,
  EVENT_WAIT_FOR_FIRST_CONSUMER,
} from './names.js';

type PV = DeepReadonly<PersistentVolume>;
type PVC = DeepReadonly<PersistentVolumeClaim>;
type SC = DeepReadonly<StorageClass>;

export interface ClaimEvent {
  type: EventType;
  reason: string;
  message: string;
}

export type ClaimAction =
  | { kind: 'none' }
  | { kind: 'pending'; event?: ClaimEvent }
  | { kind: 'bind'; volume: PV }
  | { kind: 'provision'; storageClass: SC; node?: string }
  | { kind: 'lost'; event: ClaimEvent };

/** What the decision reads from the caches. */
export interface ClaimView {
  volumes: readonly PV[];
  volume(name: string): PV | undefined;
  storageClass(name: string): SC | undefined;
  /** Labels of a node (for node affinity), or undefined when the cache does not know it. */
  nodeLabels(name: string): Readonly<Record<string, string>> | undefined;
}

export const NO_CLASS_MESSAGE = 'no persistent volumes available for this claim and no storage class is set';
export const WAIT_FOR_CONSUMER_MESSAGE = 'waiting for first consumer to be created before binding';
export const classNotFoundMessage = (name: string): string => `storageclass.storage.k8s.io ${JSON.stringify(name)} not found`;

const warning = (reason: string, message: string): ClaimEvent => ({ type: 'Warning', reason, message });
const normal = (reason: string, message: string): ClaimEvent => ({ type: 'Normal', reason, message });

export function decideClaim(claim: PVC, view: ClaimView): ClaimAction {
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) {
    return claim.spec?.volumeName ? decidePreBound(claim, claim.spec.volumeName, view) : decideUnbound(claim, view);
  }
  return decideBound(claim, view);
}

function decideUnbound(claim: PVC, view: ClaimView): ClaimAction {
  const className = claim.spec?.storageClassName ?? '';
  const sc = className ? view.storageClass(className) : undefined;
  const node = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  const delayed = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  if (delayed && !node) {
    // The scheduler may already have pre-bound a volume (claimRef) for it; only that one counts.
    const chosen = view.volumes.find((pv) => isVolumeBoundToClaim(pv, claim) && !pv.metadata.deletionTimestamp && !volumeMismatch(pv, claim));
    return chosen ? { kind: 'bind', volume: chosen } : { kind: 'pending', event: normal(EVENT_WAIT_FOR_FIRST_CONSUMER, WAIT_FOR_CONSUMER_MESSAGE) };
  }
  const nodeLabels = delayed && node ? (view.nodeLabels(node) ?? { 'kubernetes.io/hostname': node }) : undefined;
  const volume = findBestMatch(claim, view.volumes, nodeLabels);
  if (volume) return { kind: 'bind', volume };
  if (!className) return { kind: 'pending', event: normal(EVENT_FAILED_BINDING, NO_CLASS_MESSAGE) };
  if (!sc) return { kind: 'pending', event: warning(EVENT_PROVISIONING_FAILED, classNotFoundMessage(className)) };
  return { kind: 'provision', storageClass: sc, ...(node ? { node } : {}) };
}

function decidePreBound(claim: PVC, volumeName: string, view: ClaimView): ClaimAction {
  const volume = view.volume(volumeName);
  if (!volume) return { kind: 'pending' };
  if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) {
    const why = volumeMismatch(volume, claim);
    if (why) return { kind: 'pending', event: warning(EVENT_VOLUME_MISMATCH, `Cannot bind to requested volume ${JSON.stringify(volumeName)}: ${why}`) };
    return { kind: 'bind', volume };
  }
  return { kind: 'pending', event: warning(EVENT_FAILED_BINDING, `volume ${JSON.stringify(volumeName)} already bound to a different claim.`) };
}

function decideBound(claim: PVC, view: ClaimView): ClaimAction {
  const name = claim.spec?.volumeName;
  if (!name) return { kind: 'lost', event: warning(EVENT_CLAIM_LOST, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!') };
  const volume = view.volume(name);
  if (!volume) return { kind: 'lost', event: warning(EVENT_CLAIM_LOST, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!') };
  const ref = volume.spec?.claimRef;
  if (!ref || ref.uid === claim.metadata.uid) return { kind: 'bind', volume };
  return { kind: 'lost', event: warning(EVENT_CLAIM_MISBOUND, 'Two claims are bound to the same volume, this one is bound incorrectly') };
}
