// policy/v1 Eviction: the body POSTed to pods/NAME/eviction to evict a pod subject to its
// PodDisruptionBudget (what `kubectl drain` sends). A request body, not a stored kind, so it is
// exported but not registered, like Binding.
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { DeleteOptions, validateDeleteOptions } from '../meta/deleteoptions.js';
import { OptString } from '../schema.js';

export const Eviction = Type.Object(
  {
    apiVersion: OptString(),
    kind: Type.Optional(Type.Literal('Eviction')),
    metadata: ObjectMeta,
    deleteOptions: Type.Optional(DeleteOptions),
  },
  { description: 'Evicts a pod from its node, subject to its PodDisruptionBudget: POSTed to pods/NAME/eviction.' },
);
export type Eviction = Static<typeof Eviction>;

/** The delete options must be valid (the pod name is checked against the path by the subresource). */
export function validateEviction(e: Eviction): StatusCause[] {
  return e.deleteOptions ? validateDeleteOptions(e.deleteOptions).map((c) => ({ ...c, field: `deleteOptions.${c.field}` })) : [];
}
