// The new ReplicaSet of a Deployment and the revision bookkeeping around it
// (Kubernetes' getAllReplicaSetsAndSyncRevision).
//
// Contract of `syncRevision`:
// - The new ReplicaSet is the one whose template equals the Deployment's (ignoring the hash
//   label). Its revision becomes max(old revisions) + 1 when lower — which is how a rollback to
//   an old template reuses that ReplicaSet and moves it to the top of `rollout history`.
// - With `create`, a missing new ReplicaSet is created as DEPLOYMENT-HASH with the hash label in
//   selector, template and labels, owned by the Deployment, sized by `initialReplicas`.
// - A create answered AlreadyExists is either our own ReplicaSet not yet in the cache (same
//   template: use it) or a hash collision (different template: bump status.collisionCount, so
//   the next sync hashes to another name, and fail this sync).
// - The Deployment's own revision annotation follows its new ReplicaSet.
import type { ReplicaSet } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import { mutableCopy } from '@kite/client';
import { EVENT_NORMAL } from '../framework/events.js';
import { controllerRefOf, newControllerRef } from '../framework/owners.js';
import { desiredReplicas, REASON_SCALING_REPLICA_SET, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { podTemplateHash, POD_TEMPLATE_HASH_LABEL, templatesEqual } from './hash.js';
import { resolveBudget } from './math.js';
import { REASON_FOUND_NEW_RS, REASON_NEW_RS_CREATED, type RolloutHint } from './progress.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  inheritedAnnotations,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  REVISION_ANNOTATION,
  revisionAnnotations,
  revisionOf,
  splitReplicaSets,
} from './revisions.js';

export interface Revisioned {
  /** The Deployment, as written when its revision annotation had to change. */
  d: ReadonlyDeployment;
  newRS: ReadonlyRS | undefined;
  olds: ReadonlyRS[];
  hint: RolloutHint;
}

export async function syncRevision(
  deps: DeploymentDeps,
  d: ReadonlyDeployment,
  rss: readonly ReadonlyRS[],
  create: false | { initialReplicas: (olds: ReadonlyRS[]) => number },
): Promise<Revisioned> {
  const { newRS, olds } = splitReplicaSets(d, rss);
  const revision = maxRevision(olds) + 1;
  let current = newRS;
  let hint: RolloutHint;
  if (newRS) {
    current = await refreshExisting(deps, d, newRS, revision);
    hint = REASON_FOUND_NEW_RS;
  } else if (create) {
    current = await createNew(deps, d, revision, create.initialReplicas(olds));
    hint = REASON_NEW_RS_CREATED;
  }
  const updated = current ? await syncDeploymentRevision(deps, d, revisionOf(current)) : d;
  return { d: updated, newRS: current, olds, hint };
}

/** Bumps the revision and replicas annotations of an existing new ReplicaSet when outdated. */
async function refreshExisting(deps: DeploymentDeps, d: ReadonlyDeployment, rs: ReadonlyRS, revision: number): Promise<ReadonlyRS> {
  const annotations = revisionAnnotations(rs, revision);
  const minReady = d.spec?.minReadySeconds ?? 0;
  const stale = revisionOf(rs) < revision || (rs.spec?.minReadySeconds ?? 0) !== minReady;
  if (!stale) return rs;
  const copy = mutableCopy(rs);
  copy.metadata.annotations = annotations;
  if (copy.spec) copy.spec.minReadySeconds = minReady;
  return deps.replicaSets.update(copy);
}

function buildReplicaSet(d: ReadonlyDeployment, hash: string, revision: number, replicas: number): ReplicaSet {
  const template = mutableCopy(d).spec?.template ?? {};
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const selector = mutableCopy(d).spec?.selector ?? {};
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const desired = desiredReplicas(d);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: {
        ...inheritedAnnotations(d),
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(desired),
        [MAX_REPLICAS_ANNOTATION]: String(desired + resolveBudget(d.spec?.strategy, desired).surge),
      },
      ownerReferences: [newControllerRef(d)],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
}

async function createNew(deps: DeploymentDeps, d: ReadonlyDeployment, revision: number, replicas: number): Promise<ReadonlyRS> {
  const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
  const rs = buildReplicaSet(d, hash, revision, replicas);
  try {
    const created = await deps.replicaSets.create(rs);
    if (replicas > 0) deps.recorder.event(d, EVENT_NORMAL, REASON_SCALING_REPLICA_SET, `Scaled up replica set ${rs.metadata.name ?? ''} from 0 to ${replicas}`);
    return created;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = await deps.replicaSets.get(rs.metadata.name ?? '', { namespace: d.metadata.namespace });
    if (controllerRefOf(existing)?.uid === d.metadata.uid && templatesEqual(existing.spec?.template, d.spec?.template)) return existing;
    await bumpCollisionCount(deps, d);
    throw new Error(`hash collision: replica set ${rs.metadata.name ?? ''} exists with another template`, { cause: err });
  }
}

async function bumpCollisionCount(deps: DeploymentDeps, d: ReadonlyDeployment): Promise<void> {
  const copy = mutableCopy(d);
  copy.status = { ...(copy.status ?? {}), collisionCount: (copy.status?.collisionCount ?? 0) + 1 };
  await deps.deployments.updateStatus(copy);
}

/** The Deployment's revision annotation follows its new ReplicaSet's. */
async function syncDeploymentRevision(deps: DeploymentDeps, d: ReadonlyDeployment, revision: number): Promise<ReadonlyDeployment> {
  if (revision === 0 || revisionOf(d) === revision) return d;
  const copy = mutableCopy(d);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(revision) };
  return deps.deployments.update(copy);
}
