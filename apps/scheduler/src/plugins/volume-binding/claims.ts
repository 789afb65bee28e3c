// The pure half of VolumeBinding: which claims a pod uses and in which state they are, whether a
// bound volume can be reached from a node, and which static volume could take an unbound claim.
// Messages are kube-scheduler's own (pkg/scheduler/framework/plugins/volumebinding), so
// `kubectl describe pod` reads the same.
//
// Claim states, as Kubernetes sorts them:
//   bound     spec.volumeName is set: its volume's node affinity must admit the node;
//   delayed   unbound, of a WaitForFirstConsumer class: the scheduler picks the node, then a
//             static volume there or the class's provisioner provides the volume;
//   immediate unbound, of an Immediate class (or of no class): the binder's job, not the
//             scheduler's — the pod waits (unresolvable until a claim event).
import type { LabelSelector } from '@kite/api-types';
import { compareQuantities } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import type { PvcObj, PvObj, StorageClassObj, VolumeLister } from '../../framework/volumes.js';
import type { PodObj } from '../../framework/types.js';
import { compileTerms } from '../node-affinity/node-selector.js';

export const REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** The provisioner name Kubernetes uses for classes that never provision (static volumes only). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

const claimNotFound = (name: string) => `persistentvolumeclaim "${name}" not found`;
const claimDeleting = (name: string) => `persistentvolumeclaim "${name}" is being deleted`;
const classNotFound = (name: string) => `storageclass.storage.k8s.io "${name}" not found`;

export interface DelayedClaim {
  claim: PvcObj;
  storageClass: StorageClassObj;
}

export interface PodClaims {
  /** Bound claims with their volume (undefined when the volume does not exist). */
  bound: Array<{ claim: PvcObj; volume: PvObj | undefined }>;
  delayed: DelayedClaim[];
}

export interface NodeView {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** The claim names of a pod's persistentVolumeClaim volumes, in volume order. */
export function claimNames(pod: PodObj): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** Sorts a pod's claims, or returns the PreFilter rejection message (missing, deleting, immediate). */
export function podClaims(pod: PodObj, lister: VolumeLister): PodClaims | string {
  const ns = pod.metadata.namespace ?? '';
  const out: PodClaims = { bound: [], delayed: [] };
  let immediate = 0;
  for (const name of claimNames(pod)) {
    const claim = lister.claim(ns, name);
    if (!claim) return claimNotFound(name);
    if (claim.metadata.deletionTimestamp) return claimDeleting(name);
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      out.bound.push({ claim, volume: lister.volume(volumeName) });
      continue;
    }
    const className = claim.spec?.storageClassName ?? '';
    const storageClass = className ? lister.storageClass(className) : undefined;
    if (className && !storageClass) return classNotFound(className);
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer') out.delayed.push({ claim, storageClass });
    else immediate++;
  }
  return immediate > 0 ? REASON_UNBOUND_IMMEDIATE : out;
}

/** Whether a volume's required node affinity admits the node (no affinity admits every node). */
export function volumeReachable(pv: PvObj, node: NodeView): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  return compileTerms(required.nodeSelectorTerms)(node.labels, node.name);
}

/** Whether a class's provisioner can make a volume reachable from the node (allowedTopologies). */
export function canProvision(cls: StorageClassObj, node: NodeView): boolean {
  if (!cls.provisioner || cls.provisioner === NO_PROVISIONER) return false;
  const terms = cls.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(node.labels[e.key] ?? '')));
}

/** A volume pre-bound to this claim by the user (claimRef naming it, uid empty or equal). */
function preBoundTo(pv: PvObj, claim: PvcObj): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  return ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && (!ref.uid || ref.uid === claim.metadata.uid);
}

/** Class, mode, access modes, size and selector: whether the volume satisfies the claim. */
export function volumeSatisfies(pv: PvObj, claim: PvcObj): boolean {
  const spec = claim.spec ?? {};
  if ((pv.spec?.storageClassName ?? '') !== (spec.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (spec.volumeMode ?? 'Filesystem')) return false;
  const modes = pv.spec?.accessModes ?? [];
  if (!(spec.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const want = spec.resources?.requests?.storage;
  const have = pv.spec?.capacity?.storage;
  if (want !== undefined && (have === undefined || compareQuantities(have, want) < 0)) return false;
  if (spec.selector && !selectorFromLabelSelector(spec.selector as LabelSelector).matches(pv.metadata.labels ?? {})) return false;
  return true;
}

/**
 * The smallest available static volume that satisfies the claim and is reachable from the node,
 * skipping `taken` (volumes other claims have been promised). A volume pre-bound to the claim wins.
 */
export function findMatchingVolume(claim: PvcObj, volumes: readonly PvObj[], node: NodeView, taken: ReadonlySet<string>): PvObj | undefined {
  let best: PvObj | undefined;
  for (const pv of volumes) {
    const name = pv.metadata.name ?? '';
    if (taken.has(name) || pv.metadata.deletionTimestamp || !volumeReachable(pv, node)) continue;
    if (preBoundTo(pv, claim)) return pv;
    // Only Available volumes, as Kubernetes: others are about to change (a binder is at work).
    if (pv.spec?.claimRef || pv.status?.phase !== 'Available') continue;
    if (!volumeSatisfies(pv, claim)) continue;
    if (!best || compareQuantities(pv.spec?.capacity?.storage ?? 0, best.spec?.capacity?.storage ?? 0) < 0) best = pv;
  }
  return best;
}

/** Whether a claim is bound to the volume it names, and that volume's claimRef names it back. */
export function claimBound(claim: PvcObj | undefined, lister: VolumeLister): PvObj | undefined {
  const volumeName = claim?.spec?.volumeName;
  if (!claim || !volumeName) return undefined;
  const pv = lister.volume(volumeName);
  return pv?.spec?.claimRef?.uid === claim.metadata.uid ? pv : undefined;
}
