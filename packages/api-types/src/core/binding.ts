// core/v1 Binding: the body the scheduler POSTs to pods/NAME/binding to set spec.nodeName. A request
// body, not a stored kind, so it is exported but not registered.
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { notSupported, required } from '../validation/causes.js';
import { ObjectReference } from './reference.js';

export const Binding = Type.Object(
  {
    apiVersion: Type.Optional(Type.Literal('v1')),
    kind: Type.Optional(Type.Literal('Binding')),
    metadata: ObjectMeta,
    target: ObjectReference,
  },
  { description: 'Binds a pod to a node: target names the node (kind Node).' },
);
export type Binding = Static<typeof Binding>;

/** A binding must name its pod (metadata.name) and target node (target.name). */
export function validateBinding(b: Binding): StatusCause[] {
  const out: StatusCause[] = [];
  if (!b.metadata.name) out.push(required('metadata.name'));
  if (!b.target.name) out.push(required('target.name'));
  if (b.target.kind && b.target.kind !== 'Node') out.push(notSupported('target.kind', b.target.kind, ['Node']));
  return out;
}
