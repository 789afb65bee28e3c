// meta/v1 DeleteOptions: the optional body of a DELETE (kubectl sends one for --grace-period,
// --cascade and --dry-run). A request body, not a stored kind.
import { Type, type Static } from '@sinclair/typebox';
import { AtomicList, OptString, StringEnum } from '../schema.js';
import { invalid, notSupported } from '../validation/causes.js';
import type { StatusCause } from './v1.js';

export const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'] as const;
export type DeletionPropagation = (typeof PROPAGATION_POLICIES)[number];

export const Preconditions = Type.Object(
  { uid: OptString('Delete only if the object still has this UID.'), resourceVersion: OptString('Delete only if the object still has this resourceVersion.') },
  { description: 'Conditions the object must meet for the delete to proceed.' },
);
export type Preconditions = Static<typeof Preconditions>;

export const DeleteOptions = Type.Object(
  {
    apiVersion: OptString(),
    kind: Type.Optional(Type.Literal('DeleteOptions')),
    gracePeriodSeconds: Type.Optional(Type.Integer({ description: 'Seconds before the object is deleted; 0 deletes at once. Defaults per kind (pods: their terminationGracePeriodSeconds).' })),
    preconditions: Type.Optional(Preconditions),
    orphanDependents: Type.Optional(Type.Boolean({ description: 'Deprecated: use propagationPolicy.' })),
    propagationPolicy: Type.Optional(StringEnum(PROPAGATION_POLICIES, { description: 'How dependents are garbage collected.' })),
    dryRun: Type.Optional(AtomicList(Type.String(), "'All' to process the request without persisting it.")),
  },
  { description: 'Options of a delete request.' },
);
export type DeleteOptions = Static<typeof DeleteOptions>;

export function validateDeleteOptions(o: DeleteOptions): StatusCause[] {
  const out: StatusCause[] = [];
  if (o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds < 0) out.push(invalid('gracePeriodSeconds', o.gracePeriodSeconds, 'must be greater than or equal to 0'));
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
    out.push(invalid('propagationPolicy', o.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  o.dryRun?.forEach((d, i) => {
    if (d !== 'All') out.push(notSupported(`dryRun[${i}]`, d, ['All']));
  });
  return out;
}
