// References between objects: ObjectReference (events, bindings, endpoints' targetRef) and the
// name-only LocalObjectReference (imagePullSecrets, configMapRef).
import { Type, type Static } from '@sinclair/typebox';
import { OptString } from '../schema.js';

export const ObjectReference = Type.Object(
  {
    apiVersion: OptString('API version of the referent.'),
    kind: OptString('Kind of the referent.'),
    namespace: OptString('Namespace of the referent.'),
    name: OptString('Name of the referent.'),
    uid: OptString('UID of the referent.'),
    resourceVersion: OptString('Specific resourceVersion to which this reference is made, if any.'),
    fieldPath: OptString("A piece of an object instead of the whole, e.g. 'spec.containers{name}'."),
  },
  { description: 'A reference to another object, with enough information to inspect or modify it.', 'x-kubernetes-map-type': 'atomic' },
);
export type ObjectReference = Static<typeof ObjectReference>;

export const LocalObjectReference = Type.Object(
  { name: OptString('Name of the referent in the same namespace.') },
  { description: 'A reference to an object in the same namespace.', 'x-kubernetes-map-type': 'atomic' },
);
export type LocalObjectReference = Static<typeof LocalObjectReference>;

export const TypedLocalObjectReference = Type.Object(
  { apiGroup: OptString(), kind: Type.String(), name: Type.String() },
  { description: 'A reference to a typed object in the same namespace.', 'x-kubernetes-map-type': 'atomic' },
);
export type TypedLocalObjectReference = Static<typeof TypedLocalObjectReference>;
