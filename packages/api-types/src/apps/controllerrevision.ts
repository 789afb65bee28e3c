// apps/v1 ControllerRevision: an immutable snapshot of a workload's pod template, one per revision.
// DaemonSets (and StatefulSets) keep their rollout history in them: `data` holds the patch that
// restores the template (`{"spec":{"template":{...,"$patch":"replace"}}}`), `revision` orders them,
// and the pods of a revision carry its hash in the `controller-revision-hash` label.
// `kubectl rollout history|undo` lists them by the owner's selector and applies `data` as a
// strategic merge patch to roll back.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { invalid, required } from '../validation/causes.js';
import { validateImmutable } from '../validation/fields.js';

/** Label on pods (and on the revision itself) naming the ControllerRevision the pod was made from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export const ControllerRevision = Type.Object(
  {
    apiVersion: Type.Literal('apps/v1'),
    kind: Type.Literal('ControllerRevision'),
    metadata: ObjectMeta,
    // Kubernetes' RawExtension: any JSON object, kept as written.
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The serialized state of this revision (a patch of the owner).' })),
    revision: Type.Integer({ description: 'The revision number; a later revision has a larger number.' }),
  },
  { description: 'An immutable snapshot of the state of a workload, for rollout history and rollback.' },
);
export type ControllerRevision = Static<typeof ControllerRevision>;

function validateControllerRevision(cr: ControllerRevision, old?: ControllerRevision): StatusCause[] {
  const out: StatusCause[] = [];
  if (cr.data === undefined) out.push(required('data', 'Required value: data is mandatory'));
  if (cr.revision < 0) out.push(invalid('revision', cr.revision, 'must be greater than or equal to 0'));
  // A revision is a snapshot: only its metadata and revision number (renumbered on rollback) change.
  if (old) out.push(...validateImmutable(cr.data, old.data, 'data'));
  return out;
}

export const ControllerRevisionResource = defineResource<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  namespaced: true,
  schema: ControllerRevision,
  validate: validateControllerRevision,
});
