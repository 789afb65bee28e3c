// Field numbers of the protobuf messages kubectl's typed clients send (protobuf.ts), as Kubernetes'
// generated.proto files number them. Only the kinds kubectl's typed commands send are described
// (`kubectl create namespace|configmap|secret|serviceaccount|role|clusterrole|rolebinding|
// clusterrolebinding|token|job|pdb`, `kubectl auth can-i|whoami`, `kubectl autoscale`, evictions; Job in protobuf-job.ts); fields this server does not keep (selfLink, managedFields, namespace conditions)
// are left out and skipped on decode.
import { jobMessage } from './protobuf-job.js';

export interface FieldSpec {
  name: string;
  /**
   * stringMap/bytesMap/quantityMap: a map field, encoded as repeated {1: key, 2: value} entries
   * (quantityMap: values are resource.Quantity, a ResourceList); intOrString: intstr.IntOrString;
   * quantity: resource.Quantity.
   */
  type: 'string' | 'int' | 'bool' | 'time' | 'message' | 'stringMap' | 'bytesMap' | 'intOrString' | 'quantity' | 'quantityMap';
  repeated?: boolean;
  /** A Go pointer field: sent only when set, so a zero value is meaningful and kept. */
  pointer?: boolean;
  message?: MessageSpec;
  /** An embedded Go struct (`json:",inline"`): its fields land in the enclosing object. */
  inline?: boolean;
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

const strings = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const str = (name: string): FieldSpec => ({ name, type: 'string' });
const msg = (name: string, message: MessageSpec, repeated = false): FieldSpec => ({ name, type: 'message', message, ...(repeated ? { repeated } : {}) });

const ServiceAccount: MessageSpec = {
  1: metadata,
  2: msg('secrets', { 1: str('kind'), 2: str('namespace'), 3: str('name'), 4: str('uid'), 5: str('apiVersion'), 6: str('resourceVersion'), 7: str('fieldPath') }, true),
  3: { name: 'automountServiceAccountToken', type: 'bool', pointer: true },
  4: msg('imagePullSecrets', { 1: str('name') }, true),
};

const PolicyRule: MessageSpec = { 1: strings('verbs'), 2: strings('apiGroups'), 3: strings('resources'), 4: strings('resourceNames'), 5: strings('nonResourceURLs') };
const LabelSelector: MessageSpec = {
  1: { name: 'matchLabels', type: 'stringMap' },
  2: msg('matchExpressions', { 1: str('key'), 2: str('operator'), 3: strings('values') }, true),
};
const Role: MessageSpec = { 1: metadata, 2: msg('rules', PolicyRule, true) };
const ClusterRole: MessageSpec = { ...Role, 3: msg('aggregationRule', { 1: msg('clusterRoleSelectors', LabelSelector, true) }) };
const Binding: MessageSpec = {
  1: metadata,
  2: msg('subjects', { 1: str('kind'), 2: str('apiGroup'), 3: str('name'), 4: str('namespace') }, true),
  3: msg('roleRef', { 1: str('apiGroup'), 2: str('kind'), 3: str('name') }),
};

const TokenRequest: MessageSpec = {
  1: metadata,
  2: msg('spec', {
    1: strings('audiences'),
    3: msg('boundObjectRef', { 1: str('kind'), 2: str('apiVersion'), 3: str('name'), 4: str('uid') }),
    4: { name: 'expirationSeconds', type: 'int', pointer: true },
  }),
};

const ResourceAttributes: MessageSpec = { 1: str('namespace'), 2: str('verb'), 3: str('group'), 4: str('version'), 5: str('resource'), 6: str('subresource'), 7: str('name') };
const NonResourceAttributes: MessageSpec = { 1: str('path'), 2: str('verb') };
const accessSpec: MessageSpec = { 1: msg('resourceAttributes', ResourceAttributes), 2: msg('nonResourceAttributes', NonResourceAttributes) };
const SubjectAccessReview: MessageSpec = { 1: metadata, 2: msg('spec', { ...accessSpec, 3: str('user'), 4: strings('groups'), 6: str('uid') }) };

/** k8s.io/api/autoscaling/v1 generated.proto: what `kubectl autoscale` (v1.32) posts. */
const CrossVersionObjectReference: MessageSpec = { 1: str('kind'), 2: str('name'), 3: str('apiVersion') };
const HorizontalPodAutoscalerV1: MessageSpec = {
  1: metadata,
  2: msg('spec', {
    1: msg('scaleTargetRef', CrossVersionObjectReference),
    2: { name: 'minReplicas', type: 'int', pointer: true },
    3: { name: 'maxReplicas', type: 'int' },
    4: { name: 'targetCPUUtilizationPercentage', type: 'int', pointer: true },
  }),
  3: msg('status', {
    1: { name: 'observedGeneration', type: 'int', pointer: true },
    2: { name: 'lastScaleTime', type: 'time' },
    3: { name: 'currentReplicas', type: 'int' },
    4: { name: 'desiredReplicas', type: 'int' },
    5: { name: 'currentCPUUtilizationPercentage', type: 'int', pointer: true },
  }),
};

/** k8s.io/api/policy/v1 generated.proto: what `kubectl create pdb` posts, and an Eviction (status is the controller's, sent as JSON). */
const PodDisruptionBudget: MessageSpec = {
  1: metadata,
  2: msg('spec', { 1: { name: 'minAvailable', type: 'intOrString' }, 2: msg('selector', LabelSelector), 3: { name: 'maxUnavailable', type: 'intOrString' }, 4: { name: 'unhealthyPodEvictionPolicy', type: 'string', pointer: true } }),
};
const DeleteOptions: MessageSpec = {
  1: { name: 'gracePeriodSeconds', type: 'int', pointer: true },
  2: msg('preconditions', { 1: { name: 'uid', type: 'string', pointer: true }, 2: { name: 'resourceVersion', type: 'string', pointer: true } }),
  3: { name: 'orphanDependents', type: 'bool', pointer: true },
  4: { name: 'propagationPolicy', type: 'string', pointer: true },
  5: strings('dryRun'),
};
const Eviction: MessageSpec = { 1: metadata, 2: msg('deleteOptions', DeleteOptions) };

const byKind: Readonly<Record<string, MessageSpec>> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/RoleBinding': Binding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': Binding,
  'authentication.k8s.io/v1/TokenRequest': TokenRequest,
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: metadata },
  'authentication.k8s.io/v1/TokenReview': { 1: metadata, 2: msg('spec', { 1: str('token'), 2: strings('audiences') }) },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: metadata, 2: msg('spec', accessSpec) },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': { 1: metadata, 2: msg('spec', { 1: str('namespace') }) },
  'authorization.k8s.io/v1/SubjectAccessReview': SubjectAccessReview,
  'authorization.k8s.io/v1/LocalSubjectAccessReview': SubjectAccessReview,
  'autoscaling/v1/HorizontalPodAutoscaler': HorizontalPodAutoscalerV1,
  'batch/v1/Job': jobMessage(metadata, LabelSelector),
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'policy/v1/Eviction': Eviction,
};

/** The message of a kind, or undefined when this server cannot read it as protobuf. */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  return byKind[`${apiVersion}/${kind}`];
}
