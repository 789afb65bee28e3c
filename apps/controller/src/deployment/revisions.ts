// A Deployment's ReplicaSets seen through their annotations: which one is new (same template),
// which are old, revision numbers, and the annotations the controller keeps on them.
//
// Annotations (the names `kubectl rollout history/undo` and Kubernetes tools read):
//   deployment.kubernetes.io/revision          revision of the RS (and, on the Deployment, of its newest RS)
//   deployment.kubernetes.io/revision-history  earlier revisions an RS had, when a rollback reused it
//   deployment.kubernetes.io/desired-replicas  spec.replicas of the Deployment when the RS was last scaled
//   deployment.kubernetes.io/max-replicas      desired + maxSurge at that time (for proportional scaling)
import { REVISION_ANNOTATION } from '@kite/api-types';
import { creationTime } from '../framework/pods.js';
import type { ReadonlyDeployment, ReadonlyRS } from './context.js';
import { templatesEqual } from './hash.js';

export { REVISION_ANNOTATION };
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** kubectl's change-cause annotation, copied from the Deployment to its new ReplicaSet. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Deprecated rollback request (apps/v1beta1 DeploymentRollback): the revision to go back to. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** Annotations the controller owns on a ReplicaSet; never copied from the Deployment. */
const CONTROLLER_ANNOTATIONS = new Set([REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION, 'kubectl.kubernetes.io/last-applied-configuration']);


export function revisionOf(obj: { readonly metadata: { readonly annotations?: Readonly<Record<string, string>> } }): number {
  const n = Number(obj.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function maxRevision(rss: readonly ReadonlyRS[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Oldest first, ties by name: the order old ReplicaSets are scaled down in. */
export function byCreation(a: ReadonlyRS, b: ReadonlyRS): number {
  return creationTime(a) - creationTime(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/**
 * The ReplicaSet running the Deployment's current template, if any; the oldest when several do
 * (possible after a hash collision).
 */
export function findNewReplicaSet(d: ReadonlyDeployment, rss: readonly ReadonlyRS[]): ReadonlyRS | undefined {
  return [...rss].sort(byCreation).find((rs) => templatesEqual(rs.spec?.template, d.spec?.template));
}

export function splitReplicaSets(d: ReadonlyDeployment, rss: readonly ReadonlyRS[]): { newRS: ReadonlyRS | undefined; olds: ReadonlyRS[] } {
  const newRS = findNewReplicaSet(d, rss);
  return { newRS, olds: rss.filter((rs) => rs !== newRS).sort(byCreation) };
}

/** Replicas an RS was told to run. */
export const specReplicas = (rs: ReadonlyRS): number => rs.spec?.replicas ?? 0;

/** Old ReplicaSets that still run or are told to run pods. */
export function activeReplicaSets(rss: readonly ReadonlyRS[]): ReadonlyRS[] {
  return rss.filter((rs) => specReplicas(rs) > 0 || (rs.status?.replicas ?? 0) > 0);
}

/** The Deployment's own annotations a new ReplicaSet inherits (change-cause and the like). */
export function inheritedAnnotations(d: ReadonlyDeployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!CONTROLLER_ANNOTATIONS.has(k)) out[k] = v;
  return out;
}

/**
 * The annotations an RS should carry as the Deployment's `revision` RS: the new revision, with
 * the RS's previous revision appended to revision-history when a rollback reuses it.
 */
export function revisionAnnotations(rs: ReadonlyRS, revision: number): Record<string, string> {
  const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  const old = revisionOf(rs);
  if (old >= revision) return annotations;
  annotations[REVISION_ANNOTATION] = String(revision);
  if (old > 0) {
    const history = annotations[REVISION_HISTORY_ANNOTATION];
    annotations[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : String(old);
  }
  return annotations;
}

/** desired-replicas and max-replicas as the Deployment now asks; true when they differ. */
export function replicasAnnotationsOutdated(rs: ReadonlyRS, desired: number, maxReplicas: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas);
}
