// Which PersistentVolume a claim should bind to (pv_controller's findBestMatchForClaim): among the
// volumes it may take, the smallest that is big enough, so a 1Gi claim does not eat a 100Gi volume.
//
// A volume fits a claim when it is Available and unclaimed (or pre-bound to exactly this claim),
// not being deleted, of the claim's class ('' matches only ''), volume mode and selector, offers
// every access mode the claim asks for, holds at least the requested storage, and - when a node
// is given (WaitForFirstConsumer, the scheduler's choice) - its node affinity admits that node.
// Pure functions over cache objects: the table tests in test/unit/volume pin each rule.
import { compareQuantities, labelSelectorMatches, type NodeSelector, type NodeSelectorRequirement, type PersistentVolume, type PersistentVolumeClaim } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

type PV = DeepReadonly<PersistentVolume>;
type PVC = DeepReadonly<PersistentVolumeClaim>;
type Labels = Readonly<Record<string, string>>;

/** Whether the volume's claimRef names this claim (by uid once it has one). */
export function isVolumeBoundToClaim(pv: PV, claim: PVC): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

const className = (o: { spec?: { storageClassName?: string } }): string => o.spec?.storageClassName ?? '';
const volumeMode = (o: { spec?: { volumeMode?: string } }): string => o.spec?.volumeMode ?? 'Filesystem';

function requirementMatches(req: DeepReadonly<NodeSelectorRequirement>, labels: Labels): boolean {
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const [have, want] = [Number(value), Number(values[0])];
      if (value === undefined || !Number.isInteger(have) || !Number.isInteger(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A node selector admits a node when any term's expressions all hold (fields are not used for PVs). */
export function nodeSelectorAdmits(sel: DeepReadonly<NodeSelector>, labels: Labels): boolean {
  return sel.nodeSelectorTerms.some((t) => (t.matchExpressions ?? []).every((r) => requirementMatches(r, labels)) && (t.matchExpressions ?? []).length > 0);
}

/** Why a volume cannot serve a claim, or undefined when it can (checkVolumeSatisfyClaim's messages). */
export function volumeMismatch(pv: PV, claim: PVC): string | undefined {
  const requested = claim.spec?.resources?.requests?.storage ?? 0;
  const capacity = pv.spec?.capacity?.storage ?? 0;
  if (compareQuantities(capacity, requested) < 0) return 'requested PV is too small';
  if (className(pv) !== className(claim)) return 'storageClassName does not match';
  if (volumeMode(pv) !== volumeMode(claim)) return 'incompatible volumeMode';
  const offered = pv.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => offered.includes(m))) return 'incompatible accessMode';
  return undefined;
}

function reachable(pv: PV, nodeLabels: Labels | undefined): boolean {
  const req = pv.spec?.nodeAffinity?.required;
  return !nodeLabels || !req || nodeSelectorAdmits(req, nodeLabels);
}

function fits(pv: PV, claim: PVC, nodeLabels: Labels | undefined): boolean {
  if (pv.metadata.deletionTimestamp || !reachable(pv, nodeLabels) || volumeMismatch(pv, claim)) return false;
  if (isVolumeBoundToClaim(pv, claim)) return true;
  if (pv.spec?.claimRef || pv.status?.phase !== 'Available') return false;
  const selector = claim.spec?.selector;
  return !selector || labelSelectorMatches(selector as never, pv.metadata.labels ?? {});
}

/**
 * The volume for `claim` among `volumes`: one pre-bound to it if that fits, else the smallest
 * fitting one (ties: by name, so the choice is stable). `nodeLabels` restricts to volumes that
 * node can reach.
 */
export function findBestMatch(claim: PVC, volumes: readonly PV[], nodeLabels?: Labels): PV | undefined {
  let best: PV | undefined;
  for (const pv of volumes) {
    if (!fits(pv, claim, nodeLabels)) continue;
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    const smaller = best === undefined || compareQuantities(pv.spec?.capacity?.storage ?? 0, best.spec?.capacity?.storage ?? 0) < 0;
    const tie = best !== undefined && compareQuantities(pv.spec?.capacity?.storage ?? 0, best.spec?.capacity?.storage ?? 0) === 0 && (pv.metadata.name ?? '') < (best.metadata.name ?? '');
    if (smaller || tie) best = pv;
  }
  return best;
}
