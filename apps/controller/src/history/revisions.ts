// ControllerRevisions of a DaemonSet or a StatefulSet, the pure part (table-tested): what a revision holds, how it
// is named, which revision a template is, and which old revisions may go.
//
// - `data` is the strategic merge patch that restores the template, exactly the shape kubectl's
//   `rollout undo` applies and `rollout history --revision=N` renders:
//     {"spec":{"template":{...template, "$patch":"replace"}}}
// - The name is `OWNER-HASH`, HASH being the pod-template hash (deployment/hash.ts) of the
//   template with the owner's collisionCount mixed in; the revision carries HASH in its
//   `controller-revision-hash` label, beside the template's labels (so kubectl finds it by the
//   owner's selector), and the owner's annotations (so `kubernetes.io/change-cause`
//   shows in `rollout history`).
// - A template "is" a revision when they are semantically equal (canonical.ts): absent, null
//   and empty mean the same, as they do once Kubernetes decodes them.
// - History cleanup keeps `revisionHistoryLimit` old revisions, never one that a live pod still
//   runs, and drops the lowest revision numbers first.
import { CONTROLLER_REVISION_HASH_LABEL, type ControllerRevision, type DaemonSet, type PodTemplateSpec, type StatefulSet } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { semanticJson } from '../framework/canonical.js';
import { newControllerRef } from '../framework/owners.js';
import { podTemplateHash } from '../deployment/hash.js';

export type ReadonlyRevision = DeepReadonly<ControllerRevision>;
/** The workloads that keep their template history in ControllerRevisions. */
export type RevisionOwner = DaemonSet | StatefulSet;
type ReadonlyOwner = DeepReadonly<RevisionOwner>;

/** The strategic-merge directive that makes the template replace, not merge into, the current one. */
const PATCH_DIRECTIVE = '$patch';

export function revisionData(template: DeepReadonly<PodTemplateSpec> | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), [PATCH_DIRECTIVE]: 'replace' } } };
}

/** The template a revision restores, or undefined when its data is not a template patch. */
export function revisionTemplate(cr: ReadonlyRevision): PodTemplateSpec | undefined {
  const spec = (cr.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
  if (!spec?.template || typeof spec.template !== 'object') return undefined;
  const t = structuredClone(spec.template) as Record<string, unknown>;
  delete t[PATCH_DIRECTIVE];
  return t as PodTemplateSpec;
}

export function revisionMatches(cr: ReadonlyRevision, template: DeepReadonly<PodTemplateSpec> | undefined): boolean {
  const t = revisionTemplate(cr);
  return t !== undefined && semanticJson(t) === semanticJson(template ?? {});
}

export function templateHash(ds: ReadonlyOwner): string {
  return podTemplateHash(ds.spec?.template, ds.status?.collisionCount);
}

/** The hash a revision's pods carry: its label, else the hash of the template it restores. */
export function revisionHash(cr: ReadonlyRevision): string {
  return cr.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? podTemplateHash(revisionTemplate(cr));
}

/** A new revision of the owner's current template with this revision number. */
export function newRevision(ds: ReadonlyOwner, revision: number): ControllerRevision {
  const hash = templateHash(ds);
  const annotations = ds.metadata.annotations ? { ...ds.metadata.annotations } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${ds.metadata.name ?? ''}-${hash}`,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec?.template.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(annotations ? { annotations } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    data: revisionData(ds.spec?.template),
    revision,
  };
}

/** The highest revision number among `revisions`, 0 when there are none. */
export function maxRevision(revisions: readonly ReadonlyRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision), 0);
}

/** Old revisions beyond `limit`, lowest revision first, skipping those live pods still run. */
export function revisionsToDelete(old: readonly ReadonlyRevision[], limit: number, liveHashes: ReadonlySet<string>): ReadonlyRevision[] {
  const excess = old.length - Math.max(0, limit);
  if (excess <= 0) return [];
  const deletable = old.filter((r) => !liveHashes.has(revisionHash(r))).sort((a, b) => a.revision - b.revision);
  return deletable.slice(0, excess);
}
