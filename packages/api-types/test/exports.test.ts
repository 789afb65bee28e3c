// The names other components import: types (checked by the compiler) and registry entries.
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import type {
  Affinity,
  Binding,
  Container,
  ContainerState,
  ContainerStatus,
  DeleteOptions,
  Deployment,
  DeploymentSpec,
  DeploymentStatus,
  Endpoints,
  EndpointSlice,
  EnvVar,
  Event,
  HorizontalPodAutoscaler,
  Job,
  Lease,
  Node,
  NodeSelectorRequirement,
  NodeSpec,
  NodeStatus,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  PodStatus,
  Probe,
  ReplicaSet,
  RuntimeClass,
  Scale,
  Secret,
  Service,
  ServicePort,
  StatefulSet,
  Taint,
  Toleration,
  Volume,
  VolumeMount,
} from '../src/index.js';

/** Every exported type must accept a minimal literal of its shape. */
const samples: {
  pod: Pod; podSpec: PodSpec; podStatus: PodStatus; container: Container; containerStatus: ContainerStatus; state: ContainerState;
  probe: Probe; volume: Volume; mount: VolumeMount; env: EnvVar; node: Node; nodeSpec: NodeSpec; nodeStatus: NodeStatus; taint: Taint;
  toleration: Toleration; affinity: Affinity; req: NodeSelectorRequirement; service: Service; port: ServicePort; endpoints: Endpoints;
  slice: EndpointSlice; secret: Secret; event: Event; deployment: Deployment; deploymentSpec: DeploymentSpec; deploymentStatus: DeploymentStatus;
  rs: ReplicaSet; sts: StatefulSet; job: Job; hpa: HorizontalPodAutoscaler; lease: Lease; rc: RuntimeClass; pvc: PersistentVolumeClaim;
  binding: Binding; deleteOptions: DeleteOptions; scale: Scale;
} = {
  pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  podSpec: { containers: [] },
  podStatus: { phase: 'Running', podIP: '127.1.1.2', conditions: [{ type: 'Ready', status: 'True' }] },
  container: { name: 'c', resources: { limits: { cpu: '1', memory: 1024 } } },
  containerStatus: { name: 'c', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } },
  state: { terminated: { exitCode: 0, reason: 'Completed' } },
  probe: { httpGet: { port: 'http', path: '/' } },
  volume: { name: 'v', emptyDir: {} },
  mount: { name: 'v', mountPath: '/v' },
  env: { name: 'A', value: 'b' },
  node: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
  nodeSpec: { unschedulable: true },
  nodeStatus: { capacity: { cpu: '2' } },
  taint: { key: 'k', effect: 'NoExecute' },
  toleration: { operator: 'Exists' },
  affinity: {},
  req: { key: 'k', operator: 'Gt', values: ['1'] },
  service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort' } },
  port: { port: 80, targetPort: 'http' },
  endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's' } },
  slice: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [] },
  secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
  event: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: {} },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
  deploymentSpec: { selector: {}, template: {} },
  deploymentStatus: { replicas: 1 },
  rs: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' } },
  sts: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' } },
  job: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } },
  hpa: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } },
  lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' } },
  rc: { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'wasm' }, handler: 'wasm' },
  pvc: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' } },
  binding: { metadata: { name: 'p' }, target: { kind: 'Node', name: 'n' } },
  deleteOptions: { propagationPolicy: 'Background' },
  scale: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd' }, status: { replicas: 1 } },
};

describe('exports', () => {
  it('has a type for every shape', () => {
    expect(Object.keys(samples)).toHaveLength(36);
  });

  it.each([
    'PodResource', 'NodeResource', 'ServiceResource', 'EndpointsResource', 'SecretResource', 'EventResource',
    'PersistentVolumeClaimResource', 'PersistentVolumeResource', 'DeploymentResource', 'ReplicaSetResource',
    'StatefulSetResource', 'JobResource', 'HorizontalPodAutoscalerResource', 'LeaseResource', 'EndpointSliceResource',
    'RuntimeClassResource', 'NamespaceResource', 'ConfigMapResource',
  ] as const)('exports %s, registered in allResources', (name) => {
    const entry = api[name];
    expect(api.allResources).toContain(entry);
  });
});
