// meta/v1: the object metadata, list metadata, owner references and Status shared by every kind.
// Each schema is the single definition of its type: `Static<typeof X>` is the TypeScript type and
// the schema itself validates requests and feeds the OpenAPI document.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A string map such as labels, annotations or a ConfigMap's data. */
export const StringMap = Type.Record(Type.String(), Type.String());

export const OwnerReference = Type.Object({
  apiVersion: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  controller: Type.Optional(Type.Boolean()),
  blockOwnerDeletion: Type.Optional(Type.Boolean()),
});
export type OwnerReference = Static<typeof OwnerReference>;

export const ObjectMeta = Type.Object({
  name: Type.Optional(Type.String()),
  generateName: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  creationTimestamp: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  deletionTimestamp: Type.Optional(Type.String()),
  deletionGracePeriodSeconds: Type.Optional(Type.Integer()),
  labels: Type.Optional(StringMap),
  annotations: Type.Optional(StringMap),
  ownerReferences: Type.Optional(
    Type.Array(OwnerReference, { 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' }),
  ),
  finalizers: Type.Optional(Type.Array(Type.String(), { 'x-kubernetes-patch-strategy': 'merge' })),
  managedFields: Type.Optional(Type.Array(Type.Unknown())),
});
export type ObjectMeta = Static<typeof ObjectMeta>;

export const ListMeta = Type.Object({
  resourceVersion: Type.Optional(Type.String()),
  continue: Type.Optional(Type.String()),
  remainingItemCount: Type.Optional(Type.Integer()),
});
export type ListMeta = Static<typeof ListMeta>;

/** A label selector in object form, as Deployments, Services' EndpointSlices and affinity use it. */
export const LabelSelectorRequirement = Type.Object({
  key: Type.String(),
  operator: Type.Union([Type.Literal('In'), Type.Literal('NotIn'), Type.Literal('Exists'), Type.Literal('DoesNotExist')]),
  values: Type.Optional(Type.Array(Type.String())),
});
export type LabelSelectorRequirement = Static<typeof LabelSelectorRequirement>;

export const LabelSelector = Type.Object({
  matchLabels: Type.Optional(StringMap),
  matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirement)),
});
export type LabelSelector = Static<typeof LabelSelector>;

/** Condition shape used by Deployments, Nodes and Pods (each adds its own fields). */
export const Condition = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastTransitionTime: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Type.String()),
  lastHeartbeatTime: Type.Optional(Type.String()),
  lastProbeTime: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  observedGeneration: Type.Optional(Type.Integer()),
});
export type Condition = Static<typeof Condition>;

/** Status reasons, as metav1.StatusReason names them. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | '';

/** Field-level cause types, as metav1.CauseType names them. */
export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid'
  | 'UnexpectedServerResponse'
  | 'FieldManagerConflict';

export interface StatusCause {
  reason: CauseType;
  message: string;
  /** Path of the field in Kubernetes notation, e.g. `spec.containers[0].image`. */
  field: string;
}

export const Status = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Status'),
  metadata: Type.Object({}),
  status: Type.Union([Type.Literal('Success'), Type.Literal('Failure')]),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  details: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String()),
      group: Type.Optional(Type.String()),
      kind: Type.Optional(Type.String()),
      uid: Type.Optional(Type.String()),
      causes: Type.Optional(Type.Array(Type.Object({ reason: Type.String(), message: Type.String(), field: Type.String() }))),
      retryAfterSeconds: Type.Optional(Type.Integer()),
    }),
  ),
  code: Type.Integer(),
});
export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** Every stored object has this shape; kinds narrow spec and status. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface KubeList<T extends KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** Builds the standard top-level object schema for a kind: apiVersion, kind, metadata, spec?, status?. */
export function kindSchema<S extends TSchema, St extends TSchema>(
  apiVersion: string,
  kind: string,
  spec: S,
  status: St,
  description: string,
) {
  return Type.Object(
    {
      apiVersion: Type.Literal(apiVersion),
      kind: Type.Literal(kind),
      metadata: ObjectMeta,
      spec: Type.Optional(spec),
      status: Type.Optional(status),
    },
    { description },
  );
}
