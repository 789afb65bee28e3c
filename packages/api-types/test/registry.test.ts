// The registry: every kind is registered with Kubernetes' names, field selectors and scale paths,
// and its schema carries the list extensions strategic merge patch reads.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  allResources,
  Binding,
  defaultImagePullPolicy,
  DeleteOptions,
  Pod,
  resourceForKind,
  resourceForPath,
  Scale,
  validateBinding,
  validateDeleteOptions,
  validateScale,
  type KubeObject,
} from '../src/index.js';
import * as f from './fixtures.js';
import { admit, fieldsOf, resourceOf, set } from './helpers.js';

describe('registration', () => {
  it.each<[string, string, string, string, boolean, string[]]>([
    ['', 'v1', 'pods', 'Pod', true, ['po']],
    ['', 'v1', 'nodes', 'Node', false, ['no']],
    ['', 'v1', 'services', 'Service', true, ['svc']],
    ['', 'v1', 'endpoints', 'Endpoints', true, ['ep']],
    ['', 'v1', 'secrets', 'Secret', true, []],
    ['', 'v1', 'events', 'Event', true, ['ev']],
    ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc']],
    ['', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv']],
    ['', 'v1', 'namespaces', 'Namespace', false, ['ns']],
    ['', 'v1', 'configmaps', 'ConfigMap', true, ['cm']],
    ['apps', 'v1', 'deployments', 'Deployment', true, ['deploy']],
    ['apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']],
    ['apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']],
    ['batch', 'v1', 'jobs', 'Job', true, []],
    ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa']],
    ['coordination.k8s.io', 'v1', 'leases', 'Lease', true, []],
    ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, []],
    ['node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false, []],
    ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc']],
    ['', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota']],
    ['', 'v1', 'limitranges', 'LimitRange', true, ['limits']],
    ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']],
    ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, []],
    ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, []],
    ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, []],
    ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false, []],
  ])('%s/%s %s', (group, version, plural, kind, namespaced, shortNames) => {
    const rt = resourceForPath(group, version, plural);
    expect(rt).toMatchObject({ kind, namespaced, shortNames, listKind: `${kind}List`, singular: kind.toLowerCase() });
    expect(resourceForKind(group ? `${group}/${version}` : version, kind)).toBe(rt);
  });

  it('registers each kind once, with a described schema', () => {
    expect(allResources).toHaveLength(30);
    expect(new Set(allResources.map((r) => r.kind)).size).toBe(30);
    for (const r of allResources) expect(typeof r.schema.description, r.kind).toBe('string');
  });

  it.each(['Deployment', 'ReplicaSet', 'StatefulSet'])('%s has status and scale subresources', (kind) => {
    expect(allResources.find((r) => r.kind === kind)?.subresources).toEqual({
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    });
  });

  it('gives HorizontalPodAutoscaler no scale subresource', () => {
    expect(resourceForKind('autoscaling/v2', 'HorizontalPodAutoscaler')?.subresources).toEqual({ status: true });
  });
});

describe('field selectors', () => {
  const pod = (): KubeObject => {
    const p = f.webPod();
    set(p, 'spec.nodeName', 'node-1');
    set(p, 'spec.serviceAccountName', 'web');
    set(p, 'status', { phase: 'Running', podIP: '127.1.1.5', nominatedNodeName: 'node-2' });
    return admit(p).obj;
  };
  it.each<[string, () => KubeObject, string, string]>([
    ['pod', pod, 'spec.nodeName', 'node-1'],
    ['pod', pod, 'spec.restartPolicy', 'Always'],
    ['pod', pod, 'spec.schedulerName', 'default-scheduler'],
    ['pod', pod, 'spec.serviceAccountName', 'web'],
    ['pod', pod, 'status.phase', 'Running'],
    ['pod', pod, 'status.podIP', '127.1.1.5'],
    ['pod', pod, 'status.nominatedNodeName', 'node-2'],
    ['unscheduled pod', f.wasmPod, 'spec.nodeName', ''],
    ['event', f.kubeletEvent, 'involvedObject.kind', 'Pod'],
    ['event', f.kubeletEvent, 'involvedObject.namespace', 'default'],
    ['event', f.kubeletEvent, 'involvedObject.name', 'web'],
    ['event', f.kubeletEvent, 'involvedObject.uid', '3f1c'],
    ['event', f.kubeletEvent, 'involvedObject.apiVersion', 'v1'],
    ['event', f.kubeletEvent, 'involvedObject.resourceVersion', ''],
    ['event', f.kubeletEvent, 'involvedObject.fieldPath', 'spec.containers{web}'],
    ['event', f.kubeletEvent, 'reason', 'Pulled'],
    ['event', f.kubeletEvent, 'reportingComponent', 'kubelet'],
    ['event', f.kubeletEvent, 'source', 'kubelet'],
    ['event', f.kubeletEvent, 'type', 'Normal'],
    ['node', f.kiteNode, 'spec.unschedulable', 'false'],
    ['secret', () => admit(f.opaqueSecret()).obj, 'type', 'Opaque'],
    ['namespace', () => admit(f.defaultNamespace()).obj, 'status.phase', 'Active'],
    ['job', () => ({ ...f.piJob(), status: { succeeded: 1 } }), 'status.successful', '1'],
    ['replicaset', () => ({ ...f.frontendReplicaSet(), status: { replicas: 3 } }), 'status.replicas', '3'],
  ])('%s %s', (_name, make, field, want) => {
    const obj = make();
    const getter = resourceOf(obj).fieldSelectors[field];
    expect(getter, field).toBeDefined();
    expect(getter?.(obj)).toBe(want);
  });
});

/** The sub-schema at `a.b[].c`, following properties, array items and the first union member. */
function schemaAt(schema: TSchema, path: string): TSchema | undefined {
  let cur: TSchema | undefined = schema;
  for (const part of path.split('.')) {
    const isList = part.endsWith('[]');
    const name = isList ? part.slice(0, -2) : part;
    cur = (cur?.properties as Record<string, TSchema> | undefined)?.[name];
    if (isList) cur = cur?.items as TSchema | undefined;
  }
  return cur;
}

describe('strategic merge patch metadata', () => {
  const kind = (k: string): TSchema => {
    const rt = allResources.find((r) => r.kind === k);
    if (!rt) throw new Error(k);
    return rt.schema;
  };
  it.each<[string, string, string | undefined, string | undefined, string | undefined]>([
    // [kind, path, patch merge key, patch strategy, list type]
    ['Pod', 'spec.containers', 'name', 'merge', 'map'],
    ['Pod', 'spec.initContainers', 'name', 'merge', 'map'],
    ['Pod', 'spec.ephemeralContainers', 'name', 'merge', 'map'],
    ['Pod', 'spec.containers[].env', 'name', 'merge', 'map'],
    ['Pod', 'spec.containers[].ports', 'containerPort', 'merge', 'map'],
    ['Pod', 'spec.containers[].volumeMounts', 'mountPath', 'merge', 'map'],
    ['Pod', 'spec.containers[].envFrom', undefined, undefined, 'atomic'],
    ['Pod', 'spec.containers[].command', undefined, undefined, 'atomic'],
    ['Pod', 'spec.volumes', 'name', 'merge,retainKeys', 'map'],
    ['Pod', 'spec.imagePullSecrets', 'name', 'merge', 'map'],
    ['Pod', 'spec.tolerations', undefined, undefined, 'atomic'],
    ['Pod', 'spec.hostAliases', 'ip', 'merge', 'map'],
    ['Pod', 'spec.topologySpreadConstraints', 'topologyKey', 'merge', 'map'],
    ['Pod', 'status.conditions', 'type', 'merge', 'map'],
    ['Pod', 'status.podIPs', 'ip', 'merge', 'map'],
    ['Pod', 'status.containerStatuses', undefined, undefined, 'atomic'],
    ['Pod', 'metadata.ownerReferences', 'uid', 'merge', undefined],
    ['Deployment', 'spec.template.spec.containers', 'name', 'merge', 'map'],
    ['Deployment', 'spec.template.spec.containers[].env', 'name', 'merge', 'map'],
    ['Deployment', 'status.conditions', 'type', 'merge', 'map'],
    ['StatefulSet', 'spec.template.spec.volumes', 'name', 'merge,retainKeys', 'map'],
    ['Job', 'spec.template.spec.containers[].ports', 'containerPort', 'merge', 'map'],
    ['Job', 'status.conditions', 'type', 'merge', 'atomic'],
    ['Node', 'spec.taints', undefined, undefined, 'atomic'],
    ['Node', 'spec.podCIDRs', undefined, 'merge', 'set'],
    ['Node', 'status.conditions', 'type', 'merge', 'map'],
    ['Node', 'status.addresses', 'type', 'merge', 'map'],
    ['Service', 'spec.ports', 'port', 'merge', 'map'],
    ['Service', 'spec.clusterIPs', undefined, undefined, 'atomic'],
    ['Endpoints', 'subsets', undefined, undefined, 'atomic'],
    ['EndpointSlice', 'endpoints', undefined, undefined, 'atomic'],
  ])('%s %s', (k, path, key, strategy, listType) => {
    const s = schemaAt(kind(k), path);
    expect(s?.type, path).toBe('array');
    expect(s?.['x-kubernetes-patch-merge-key']).toBe(key);
    expect(s?.['x-kubernetes-patch-strategy']).toBe(strategy);
    expect(s?.['x-kubernetes-list-type']).toBe(listType);
  });

  it('keys container ports and service ports by port and protocol for apply', () => {
    expect(schemaAt(kind('Pod'), 'spec.containers[].ports')?.['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(schemaAt(kind('Service'), 'spec.ports')?.['x-kubernetes-list-map-keys']).toEqual(['port', 'protocol']);
  });

  it('never closes an object to unknown fields', () => {
    const closed: string[] = [];
    const walk = (s: unknown, path: string): void => {
      if (s === null || typeof s !== 'object') return;
      if ((s as Record<string, unknown>).additionalProperties === false) closed.push(path);
      for (const [k, v] of Object.entries(s)) walk(v, `${path}/${k}`);
    };
    for (const r of allResources) walk(r.schema, r.kind);
    for (const s of [Binding, DeleteOptions, Scale, Pod]) walk(s, String(s.description));
    expect(closed).toEqual([]);
  });

  it('works with TypeBox\'s own checker too (string enums are a registered kind)', () => {
    const pod = (restartPolicy: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a' }], restartPolicy } });
    expect(Value.Check(Pod, pod('Never'))).toBe(true);
    expect(Value.Check(Pod, pod('Sometimes'))).toBe(false);
  });

  it('accepts fields it does not model', () => {
    const pod = f.webPod();
    set(pod, 'spec.containers[0].futureField', { x: 1 });
    set(pod, 'spec.volumes[2].nfs', { server: '10.0.0.1', path: '/exports' });
    set(pod, 'spec.unknownPodField', true);
    expect(admit(pod).causes).toEqual([]);
  });
});

describe('image pull policy default', () => {
  it.each<[string, string]>([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.14.2', 'IfNotPresent'],
    ['registry.k8s.io/nginx-slim:0.24', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', 'IfNotPresent'],
    ['file:///srv/hello.wasm', 'IfNotPresent'],
    ['https://example.com/modules/hello.wasm', 'IfNotPresent'],
    ['oci://registry.local/hello', 'IfNotPresent'],
    ['hello.wasm', 'IfNotPresent'],
  ])('%s pulls %s', (image, want) => expect(defaultImagePullPolicy(image)).toBe(want));
});

describe('request bodies', () => {
  it.each<[string, () => string[], string[]]>([
    ['binding', () => fieldsOf(validateBinding({ metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } })), []],
    ['binding without node', () => fieldsOf(validateBinding({ metadata: { name: 'web' }, target: {} })), ['target.name']],
    ['binding to a pod', () => fieldsOf(validateBinding({ metadata: { name: 'web' }, target: { kind: 'Pod', name: 'x' } })), ['target.kind']],
    ['delete options', () => fieldsOf(validateDeleteOptions({ gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u' }, dryRun: ['All'] })), []],
    ['negative grace period', () => fieldsOf(validateDeleteOptions({ gracePeriodSeconds: -1 })), ['gracePeriodSeconds']],
    ['orphan and policy', () => fieldsOf(validateDeleteOptions({ orphanDependents: true, propagationPolicy: 'Orphan' })), ['propagationPolicy']],
    ['bad dryRun', () => fieldsOf(validateDeleteOptions({ dryRun: ['Some'] })), ['dryRun[0]']],
    ['scale', () => fieldsOf(validateScale({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 3 } })), []],
    ['negative scale', () => fieldsOf(validateScale({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: -1 } })), ['spec.replicas']],
  ])('%s', (_name, run, want) => expect(run()).toEqual(want));

  it('describes the request body schemas', () => {
    expect(DeleteOptions.properties.propagationPolicy.enum).toEqual(['Orphan', 'Background', 'Foreground']);
    expect(Binding.required).toContain('target');
    expect(Scale.properties.apiVersion.const).toBe('autoscaling/v1');
  });
});
