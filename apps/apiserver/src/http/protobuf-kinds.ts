// Field numbers of the protobuf messages kubectl's typed clients send (protobuf.ts), as Kubernetes'
// generated.proto files number them. Only the kinds of `kubectl create namespace|configmap|secret`
// are described; fields this server does not keep (selfLink, managedFields, namespace conditions)
// are left out and skipped on decode.

export interface FieldSpec {
  name: string;
  /** stringMap/bytesMap: a map field, encoded as repeated {1: key, 2: value} entries. */
  type: 'string' | 'int' | 'bool' | 'time' | 'message' | 'stringMap' | 'bytesMap';
  repeated?: boolean;
  /** A Go pointer field: sent only when set, so a zero value is meaningful and kept. */
  pointer?: boolean;
  message?: MessageSpec;
}

/** A message: field number to field. */
export type MessageSpec = Readonly<Record<number, FieldSpec>>;

const OwnerReference: MessageSpec = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool', pointer: true },
  7: { name: 'blockOwnerDeletion', type: 'bool', pointer: true },
};

const ObjectMeta: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int', pointer: true },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
  13: { name: 'ownerReferences', type: 'message', repeated: true, message: OwnerReference },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const metadata: FieldSpec = { name: 'metadata', type: 'message', message: ObjectMeta };

const Namespace: MessageSpec = {
  1: metadata,
  2: { name: 'spec', type: 'message', message: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  3: { name: 'status', type: 'message', message: { 1: { name: 'phase', type: 'string' } } },
};

const ConfigMap: MessageSpec = {
  1: metadata,
  2: { name: 'data', type: 'stringMap' },
  3: { name: 'binaryData', type: 'bytesMap' },
  4: { name: 'immutable', type: 'bool', pointer: true },
};

const Secret: MessageSpec = {
  1: metadata,
  2: { name: 'data', type: 'bytesMap' },
  3: { name: 'type', type: 'string' },
  4: { name: 'stringData', type: 'stringMap' },
  5: { name: 'immutable', type: 'bool', pointer: true },
};

const byKind: Readonly<Record<string, MessageSpec>> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
};

/** The message of a kind, or undefined when this server cannot read it as protobuf. */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  return byKind[`${apiVersion}/${kind}`];
}
