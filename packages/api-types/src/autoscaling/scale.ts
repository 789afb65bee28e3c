// autoscaling/v1 Scale: what the `scale` subresource of Deployments, ReplicaSets and StatefulSets
// reads and writes (`kubectl scale`, the HPA). Built by the apiserver from the registry entry's
// ScaleSubresource paths; not a stored kind.
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { OptInt, OptString } from '../schema.js';
import { validateNonNegative } from '../validation/fields.js';

export const ScaleSpec = Type.Object({ replicas: OptInt('Desired number of instances.') });
export const ScaleStatus = Type.Object({
  replicas: Type.Integer({ description: 'Actual number of observed instances.' }),
  selector: OptString("Label selector of the pods, in string form ('app=web,tier in (fe)')."),
});

export const Scale = Type.Object(
  {
    apiVersion: Type.Literal('autoscaling/v1'),
    kind: Type.Literal('Scale'),
    metadata: ObjectMeta,
    spec: Type.Optional(ScaleSpec),
    status: Type.Optional(ScaleStatus),
  },
  { description: 'The scale of a resource: desired and observed replicas.' },
);
export type Scale = Static<typeof Scale>;

export function validateScale(s: Scale): StatusCause[] {
  return validateNonNegative(s.spec?.replicas, 'spec.replicas');
}
