// Field numbers of batch/v1 Job and the core/v1 pod template inside it, as Kubernetes'
// generated.proto files number them, for the protobuf bodies kubectl's typed clients send
// (`kubectl create job NAME --from=cronjob/X`, `kubectl create job NAME --image=...`).
// Go pointer fields are marked `pointer` (a sent zero, such as backoffLimit: 0, is kept); embedded
// structs (`json:",inline"`: Volume's source, Probe's handler, the *KeySelector's reference) are
// marked `inline`. The fields covered are those of the pod template this server acts on;
// affinity, security contexts, lifecycle hooks, DNS config, topology spread and the cloud volume
// kinds are not described and are dropped on decode (use `kubectl apply` for such templates).
// ObjectMeta and LabelSelector come from protobuf-kinds.ts, which registers the result.
import type { FieldSpec, MessageSpec } from './protobuf-kinds.js';

const str = (name: string): FieldSpec => ({ name, type: 'string' });
const strings = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const int = (name: string, pointer = false): FieldSpec => ({ name, type: 'int', ...(pointer ? { pointer } : {}) });
const bool = (name: string, pointer = false): FieldSpec => ({ name, type: 'bool', ...(pointer ? { pointer } : {}) });
const optStr = (name: string): FieldSpec => ({ name, type: 'string', pointer: true });
const msg = (name: string, message: MessageSpec, repeated = false): FieldSpec => ({ name, type: 'message', message, ...(repeated ? { repeated } : {}) });
const inline = (message: MessageSpec): FieldSpec => ({ name: '', type: 'message', message, inline: true });

const LocalObjectReference: MessageSpec = { 1: str('name') };
const KeySelector: MessageSpec = { 1: inline(LocalObjectReference), 2: str('key'), 3: bool('optional', true) };
const ObjectFieldSelector: MessageSpec = { 1: str('apiVersion'), 2: str('fieldPath') };
const ResourceFieldSelector: MessageSpec = { 1: str('containerName'), 2: str('resource'), 3: { name: 'divisor', type: 'quantity' } };
const EnvVar: MessageSpec = {
  1: str('name'),
  2: str('value'),
  3: msg('valueFrom', { 1: msg('fieldRef', ObjectFieldSelector), 2: msg('resourceFieldRef', ResourceFieldSelector), 3: msg('configMapKeyRef', KeySelector), 4: msg('secretKeyRef', KeySelector) }),
};
const EnvSource: MessageSpec = { 1: inline(LocalObjectReference), 2: bool('optional', true) };
const EnvFromSource: MessageSpec = { 1: str('prefix'), 2: msg('configMapRef', EnvSource), 3: msg('secretRef', EnvSource) };
const ResourceRequirements: MessageSpec = { 1: { name: 'limits', type: 'quantityMap' }, 2: { name: 'requests', type: 'quantityMap' } };
const ContainerPort: MessageSpec = { 1: str('name'), 2: int('hostPort'), 3: int('containerPort'), 4: str('protocol'), 5: str('hostIP') };
const VolumeMount: MessageSpec = { 1: str('name'), 2: bool('readOnly'), 3: str('mountPath'), 4: str('subPath'), 5: optStr('mountPropagation'), 6: str('subPathExpr') };
const ProbeHandler: MessageSpec = {
  1: msg('exec', { 1: strings('command') }),
  2: msg('httpGet', { 1: str('path'), 2: { name: 'port', type: 'intOrString' }, 3: str('host'), 4: str('scheme'), 5: msg('httpHeaders', { 1: str('name'), 2: str('value') }, true) }),
  3: msg('tcpSocket', { 1: { name: 'port', type: 'intOrString' }, 2: str('host') }),
  4: msg('grpc', { 1: int('port'), 2: optStr('service') }),
};
const Probe: MessageSpec = {
  1: inline(ProbeHandler),
  2: int('initialDelaySeconds'),
  3: int('timeoutSeconds'),
  4: int('periodSeconds'),
  5: int('successThreshold'),
  6: int('failureThreshold'),
  7: int('terminationGracePeriodSeconds', true),
};
const Container: MessageSpec = {
  1: str('name'),
  2: str('image'),
  3: strings('command'),
  4: strings('args'),
  5: str('workingDir'),
  6: msg('ports', ContainerPort, true),
  7: msg('env', EnvVar, true),
  8: msg('resources', ResourceRequirements),
  9: msg('volumeMounts', VolumeMount, true),
  10: msg('livenessProbe', Probe),
  11: msg('readinessProbe', Probe),
  13: str('terminationMessagePath'),
  14: str('imagePullPolicy'),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
  19: msg('envFrom', EnvFromSource, true),
  20: str('terminationMessagePolicy'),
  22: msg('startupProbe', Probe),
  24: optStr('restartPolicy'),
};
const KeyToPath: MessageSpec = { 1: str('key'), 2: str('path'), 3: int('mode', true) };
const DownwardAPIVolumeFile: MessageSpec = { 1: str('path'), 2: msg('fieldRef', ObjectFieldSelector), 3: msg('resourceFieldRef', ResourceFieldSelector), 4: int('mode', true) };
const Projection: MessageSpec = { 1: inline(LocalObjectReference), 2: msg('items', KeyToPath, true), 4: bool('optional', true) };
const VolumeSource: MessageSpec = {
  1: msg('hostPath', { 1: str('path'), 2: optStr('type') }),
  2: msg('emptyDir', { 1: str('medium'), 2: { name: 'sizeLimit', type: 'quantity' } }),
  6: msg('secret', { 1: str('secretName'), 2: msg('items', KeyToPath, true), 3: int('defaultMode', true), 4: bool('optional', true) }),
  10: msg('persistentVolumeClaim', { 1: str('claimName'), 2: bool('readOnly') }),
  16: msg('downwardAPI', { 1: msg('items', DownwardAPIVolumeFile, true), 2: int('defaultMode', true) }),
  19: msg('configMap', { 1: inline(LocalObjectReference), 2: msg('items', KeyToPath, true), 3: int('defaultMode', true), 4: bool('optional', true) }),
  26: msg('projected', {
    1: msg('sources', { 1: msg('secret', Projection), 2: msg('downwardAPI', { 1: msg('items', DownwardAPIVolumeFile, true) }), 3: msg('configMap', Projection) }, true),
    2: int('defaultMode', true),
  }),
};
const Toleration: MessageSpec = { 1: str('key'), 2: str('operator'), 3: str('value'), 4: str('effect'), 5: int('tolerationSeconds', true) };
const PodSpec: MessageSpec = {
  1: msg('volumes', { 1: str('name'), 2: inline(VolumeSource) }, true),
  2: msg('containers', Container, true),
  3: str('restartPolicy'),
  4: int('terminationGracePeriodSeconds', true),
  5: int('activeDeadlineSeconds', true),
  6: str('dnsPolicy'),
  7: { name: 'nodeSelector', type: 'stringMap' },
  8: str('serviceAccountName'),
  9: str('serviceAccount'),
  10: str('nodeName'),
  11: bool('hostNetwork'),
  15: msg('imagePullSecrets', LocalObjectReference, true),
  16: str('hostname'),
  17: str('subdomain'),
  19: str('schedulerName'),
  20: msg('initContainers', Container, true),
  21: bool('automountServiceAccountToken', true),
  22: msg('tolerations', Toleration, true),
  24: str('priorityClassName'),
  25: int('priority', true),
  29: optStr('runtimeClassName'),
  30: bool('enableServiceLinks', true),
  31: optStr('preemptionPolicy'),
  40: msg('resources', ResourceRequirements),
};

/** batch/v1 Job, given the ObjectMeta field and the LabelSelector message shared with the other kinds. */
export function jobMessage(metadata: FieldSpec, labelSelector: MessageSpec): MessageSpec {
  const template: MessageSpec = { 1: metadata, 2: msg('spec', PodSpec) };
  return {
    1: metadata,
    2: msg('spec', {
      1: int('parallelism', true),
      2: int('completions', true),
      3: int('activeDeadlineSeconds', true),
      4: msg('selector', labelSelector),
      5: bool('manualSelector', true),
      6: msg('template', template),
      7: int('backoffLimit', true),
      8: int('ttlSecondsAfterFinished', true),
      9: optStr('completionMode'),
      10: bool('suspend', true),
      12: int('backoffLimitPerIndex', true),
      13: int('maxFailedIndexes', true),
      14: optStr('podReplacementPolicy'),
      15: optStr('managedBy'),
    }),
  };
}
