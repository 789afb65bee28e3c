// The per-kind columns of `kubectl get`: headers as kubectl prints them (upper-cased, wide columns
// with priority 1) and cells for the states that matter, against a fixed clock.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '@kite/api-types';
import { columnsFor, humanDuration } from '../src/http/columns.js';
import { toTable } from '../src/http/table.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
/** An RFC 3339 time `seconds` before NOW. */
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

type Loose = Record<string, unknown>;

function obj(apiVersion: string, kind: string, name: string, rest: Loose = {}, meta: Loose = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'default', creationTimestamp: ago(300), ...meta }, ...rest } as KubeObject;
}

/** The row of one object as column header -> cell, headers as kubectl prints them. */
function row(o: KubeObject): Record<string, unknown> {
  const table = toTable(o.kind, [o], { resourceVersion: '1' });
  const cells = table.rows[0]?.cells ?? [];
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name.toUpperCase(), cells[i]]));
}

describe('headers', () => {
  const w = (s: string) => (s === '' ? [] : s.split(','));
  it.each([
    ['Pod', 'NAME,READY,STATUS,RESTARTS,AGE', 'IP,NODE,NOMINATED NODE,READINESS GATES'],
    ['Node', 'NAME,STATUS,ROLES,AGE,VERSION', 'INTERNAL-IP,EXTERNAL-IP,OS-IMAGE,KERNEL-VERSION,CONTAINER-RUNTIME'],
    ['Service', 'NAME,TYPE,CLUSTER-IP,EXTERNAL-IP,PORT(S),AGE', 'SELECTOR'],
    ['Endpoints', 'NAME,ENDPOINTS,AGE', ''],
    ['EndpointSlice', 'NAME,ADDRESSTYPE,PORTS,ENDPOINTS,AGE', ''],
    ['Deployment', 'NAME,READY,UP-TO-DATE,AVAILABLE,AGE', 'CONTAINERS,IMAGES,SELECTOR'],
    ['ReplicaSet', 'NAME,DESIRED,CURRENT,READY,AGE', 'CONTAINERS,IMAGES,SELECTOR'],
    ['StatefulSet', 'NAME,READY,AGE', 'CONTAINERS,IMAGES'],
    ['Job', 'NAME,STATUS,COMPLETIONS,DURATION,AGE', 'CONTAINERS,IMAGES,SELECTOR'],
    ['HorizontalPodAutoscaler', 'NAME,REFERENCE,TARGETS,MINPODS,MAXPODS,REPLICAS,AGE', ''],
    ['Event', 'LAST SEEN,TYPE,REASON,OBJECT,MESSAGE', 'SUBOBJECT,SOURCE,FIRST SEEN,COUNT,NAME'],
    ['Lease', 'NAME,HOLDER,AGE', ''],
    ['RuntimeClass', 'NAME,HANDLER,AGE', ''],
    ['Secret', 'NAME,TYPE,DATA,AGE', ''],
    ['ConfigMap', 'NAME,DATA,AGE', ''],
    ['Namespace', 'NAME,STATUS,AGE', ''],
    ['PersistentVolumeClaim', 'NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,VOLUMEATTRIBUTESCLASS,AGE', 'VOLUMEMODE'],
    ['PersistentVolume', 'NAME,CAPACITY,ACCESS MODES,RECLAIM POLICY,STATUS,CLAIM,STORAGECLASS,VOLUMEATTRIBUTESCLASS,REASON,AGE', 'VOLUMEMODE'],
    ['StorageClass', 'NAME,PROVISIONER,RECLAIMPOLICY,VOLUMEBINDINGMODE,ALLOWVOLUMEEXPANSION,AGE', ''],
    ['SomethingElse', 'NAME,AGE', ''],
  ])('%s: %s | %s', (kind, normal, wide) => {
    const cols = columnsFor(kind);
    expect(cols.filter((c) => !c.priority).map((c) => c.name.toUpperCase())).toEqual(w(normal));
    expect(cols.filter((c) => c.priority === 1).map((c) => c.name.toUpperCase())).toEqual(w(wide));
  });

  it('marks the name column for kubectl', () => {
    for (const kind of ['Pod', 'Node', 'Deployment', 'Service']) expect(columnsFor(kind)[0]).toMatchObject({ name: 'Name', format: 'name' });
  });
});

const container = (name: string, state: Loose, extra: Loose = {}) => ({ name, state, ready: false, restartCount: 0, ...extra });

describe('Pod', () => {
  const spec = (extra: Loose = {}) => ({ containers: [{ name: 'app', image: 'nginx' }, { name: 'side', image: 'busybox' }], ...extra });
  it.each<[string, Loose, Loose, Record<string, unknown>]>([
    ['pending without status', { spec: spec(), status: { phase: 'Pending' } }, {}, { READY: '0/2', STATUS: 'Pending', RESTARTS: '0', AGE: '5m', IP: '<none>', NODE: '<none>', 'READINESS GATES': '<none>' }],
    [
      'running and ready',
      { spec: spec({ nodeName: 'n1' }), status: { phase: 'Running', podIP: '127.1.0.5', containerStatuses: [container('app', { running: {} }, { ready: true }), container('side', { running: {} }, { ready: true })] } },
      {},
      { READY: '2/2', STATUS: 'Running', IP: '127.1.0.5', NODE: 'n1' },
    ],
    [
      'a waiting reason beats the phase',
      { spec: spec(), status: { phase: 'Running', containerStatuses: [container('app', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }), container('side', { running: {} }, { ready: true })] } },
      {},
      { READY: '1/2', STATUS: 'CrashLoopBackOff', RESTARTS: '4 (90s ago)' },
    ],
    ['a terminated container without reason shows its exit code', { spec: spec(), status: { phase: 'Failed', containerStatuses: [container('app', { terminated: { exitCode: 3 } })] } }, {}, { STATUS: 'ExitCode:3' }],
    ['a killed container shows its signal', { spec: spec(), status: { phase: 'Failed', containerStatuses: [container('app', { terminated: { exitCode: 137, signal: 9 } })] } }, {}, { STATUS: 'Signal:9' }],
    [
      'completed next to a running unready container is NotReady',
      { spec: spec(), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [container('app', { running: {} }, { ready: true }), container('side', { terminated: { exitCode: 0, reason: 'Completed' } })] } },
      {},
      { STATUS: 'NotReady' },
    ],
    [
      'init containers in progress',
      { spec: spec({ initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] }), status: { phase: 'Pending', initContainerStatuses: [container('i1', { terminated: { exitCode: 0 } }), container('i2', { running: {} })] } },
      {},
      { STATUS: 'Init:1/2' },
    ],
    [
      'a failing init container',
      { spec: spec({ initContainers: [{ name: 'i1', image: 'x' }] }), status: { phase: 'Pending', initContainerStatuses: [container('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 2 })] } },
      {},
      { STATUS: 'Init:CrashLoopBackOff', RESTARTS: '2' },
    ],
    ['a deleted pod is Terminating', { spec: spec(), status: { phase: 'Running' } }, { deletionTimestamp: ago(1) }, { STATUS: 'Terminating' }],
    [
      'readiness gates count the true conditions',
      { spec: spec({ readinessGates: [{ conditionType: 'lb/ready' }, { conditionType: 'other' }] }), status: { phase: 'Running', conditions: [{ type: 'lb/ready', status: 'True' }] } },
      {},
      { 'READINESS GATES': '1/2' },
    ],
  ])('%s', (_name, rest, meta, want) => {
    expect(row(obj('v1', 'Pod', 'web', rest, meta))).toMatchObject(want);
  });
});

describe('Node', () => {
  const info = { kubeletVersion: 'v1.32.0-kite', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'wasm://1.0' };
  it.each<[string, Loose, Loose, Record<string, unknown>]>([
    [
      'ready worker with addresses',
      { status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: info, addresses: [{ type: 'InternalIP', address: '127.0.1.1' }, { type: 'Hostname', address: 'n1' }] } },
      { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/edge': 'true' } },
      { STATUS: 'Ready', ROLES: 'edge,worker', VERSION: 'v1.32.0-kite', 'INTERNAL-IP': '127.0.1.1', 'EXTERNAL-IP': '<none>', 'OS-IMAGE': 'Debian GNU/Linux 12', 'KERNEL-VERSION': '6.1.0', 'CONTAINER-RUNTIME': 'wasm://1.0' },
    ],
    ['cordoned and not ready', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, { labels: { 'kubernetes.io/role': 'master' } }, { STATUS: 'NotReady,SchedulingDisabled', ROLES: 'master', VERSION: '' }],
    ['never reported', {}, {}, { STATUS: 'Unknown', ROLES: '<none>', 'OS-IMAGE': '<unknown>' }],
  ])('%s', (_name, rest, meta, want) => {
    expect(row(obj('v1', 'Node', 'n1', rest, meta))).toMatchObject(want);
  });
});

describe('Service', () => {
  it.each<[string, Loose, Record<string, unknown>]>([
    ['cluster IP', { spec: { type: 'ClusterIP', clusterIP: '10.0.0.5', selector: { tier: 'fe', app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } }, { TYPE: 'ClusterIP', 'CLUSTER-IP': '10.0.0.5', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP,53/UDP', SELECTOR: 'app=web,tier=fe' }],
    ['headless', { spec: { clusterIP: 'None', ports: [{ port: 5432 }] } }, { TYPE: 'ClusterIP', 'CLUSTER-IP': 'None', 'PORT(S)': '5432/TCP', SELECTOR: '<none>' }],
    ['node port with external IPs', { spec: { type: 'NodePort', clusterIP: '10.0.0.6', externalIPs: ['127.0.0.9'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } }, { 'EXTERNAL-IP': '127.0.0.9', 'PORT(S)': '80:30080/TCP' }],
    ['load balancer waiting for an address', { spec: { type: 'LoadBalancer', ports: [] } }, { 'EXTERNAL-IP': '<pending>', 'PORT(S)': '<none>' }],
    ['load balancer with ingress', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.10' }, { hostname: 'lb.local' }] } } }, { 'EXTERNAL-IP': '127.0.0.10,lb.local' }],
    ['external name', { spec: { type: 'ExternalName', externalName: 'db.example' } }, { TYPE: 'ExternalName', 'CLUSTER-IP': '<none>', 'EXTERNAL-IP': 'db.example' }],
  ])('%s', (_name, rest, want) => {
    expect(row(obj('v1', 'Service', 'web', rest))).toMatchObject(want);
  });
});

describe('Endpoints and EndpointSlice', () => {
  const addresses = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `127.1.0.${i + 1}` }));
  it.each<[string, KubeObject, Record<string, unknown>]>([
    ['endpoints with ports', obj('v1', 'Endpoints', 'web', { subsets: [{ addresses: addresses(2), ports: [{ port: 8080 }] }] }), { ENDPOINTS: '127.1.0.1:8080,127.1.0.2:8080' }],
    ['endpoints cut after three', obj('v1', 'Endpoints', 'web', { subsets: [{ addresses: addresses(5), ports: [{ port: 80 }] }] }), { ENDPOINTS: '127.1.0.1:80,127.1.0.2:80,127.1.0.3:80 + 2 more...' }],
    ['endpoints without ports', obj('v1', 'Endpoints', 'web', { subsets: [{ addresses: addresses(1) }] }), { ENDPOINTS: '127.1.0.1' }],
    ['endpoints empty', obj('v1', 'Endpoints', 'web', {}), { ENDPOINTS: '<none>' }],
    [
      'slice',
      obj('discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', { addressType: 'IPv4', ports: [{ port: 80 }, { port: 443 }], endpoints: [{ addresses: ['127.1.0.1'] }, { addresses: ['127.1.0.2'] }] }),
      { ADDRESSTYPE: 'IPv4', PORTS: '80,443', ENDPOINTS: '127.1.0.1,127.1.0.2' },
    ],
    ['empty slice', obj('discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', { addressType: 'IPv4', endpoints: [] }), { PORTS: '<unset>', ENDPOINTS: '<unset>' }],
  ])('%s', (_name, o, want) => {
    expect(row(o)).toMatchObject(want);
  });
});

describe('workloads', () => {
  const template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
  const selector = { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['be', 'fe'] }] };
  it.each<[string, KubeObject, Record<string, unknown>]>([
    [
      'deployment',
      obj('apps/v1', 'Deployment', 'api', { spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }),
      { READY: '2/3', 'UP-TO-DATE': 3, AVAILABLE: 2, AGE: '5m', CONTAINERS: 'app,log', IMAGES: 'nginx:1.27,busybox', SELECTOR: 'app=api,tier in (be,fe)' },
    ],
    ['deployment without status', obj('apps/v1', 'Deployment', 'api', { spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template } }), { READY: '0/1', 'UP-TO-DATE': 0, AVAILABLE: 0, SELECTOR: 'app=api' }],
    ['replica set', obj('apps/v1', 'ReplicaSet', 'api-1', { spec: { replicas: 3, selector, template }, status: { replicas: 3, readyReplicas: 1 } }), { DESIRED: 3, CURRENT: 3, READY: 1, CONTAINERS: 'app,log' }],
    ['stateful set', obj('apps/v1', 'StatefulSet', 'db', { spec: { replicas: 2, selector, template }, status: { readyReplicas: 1 } }), { READY: '1/2', IMAGES: 'nginx:1.27,busybox' }],
  ])('%s', (_name, o, want) => {
    expect(row(o)).toMatchObject(want);
  });
});

describe('Job', () => {
  const template = { spec: { containers: [{ name: 'work', image: 'busybox' }], restartPolicy: 'Never' } };
  const job = (spec: Loose, status: Loose, meta: Loose = {}) => obj('batch/v1', 'Job', 'batch', { spec: { template, ...spec }, status }, meta);
  it.each<[string, KubeObject, Record<string, unknown>]>([
    ['running', job({}, { startTime: ago(65), active: 1 }), { STATUS: 'Running', COMPLETIONS: '0/1', DURATION: '65s' }],
    ['complete', job({ completions: 3 }, { startTime: ago(600), completionTime: ago(300), succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] }), { STATUS: 'Complete', COMPLETIONS: '3/3', DURATION: '5m' }],
    ['parallel without completions', job({ parallelism: 4 }, { startTime: ago(10), succeeded: 1 }), { COMPLETIONS: '1/1 of 4' }],
    ['failed', job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), { STATUS: 'Failed', DURATION: '' }],
    ['suspended', job({ suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }), { STATUS: 'Suspended' }],
    ['being deleted', job({}, {}, { deletionTimestamp: ago(1) }), { STATUS: 'Terminating' }],
  ])('%s', (_name, o, want) => {
    expect(row(o)).toMatchObject(want);
  });
});

describe('HorizontalPodAutoscaler', () => {
  const hpa = (metrics: Loose[] | undefined, currentMetrics: Loose[] = [], bounds: Loose = { minReplicas: 2 }) =>
    obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', {
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 10, ...bounds, ...(metrics ? { metrics } : {}) },
      status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics },
    });
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
  const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } };
  const requests = { type: 'Pods', pods: { metric: { name: 'requests' }, target: { type: 'AverageValue', averageValue: '10' } } };
  it.each<[string, KubeObject, Record<string, unknown>]>([
    ['cpu with a current value', hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }]), { REFERENCE: 'Deployment/api', TARGETS: 'cpu: 42%/80%', MINPODS: '2', MAXPODS: 10, REPLICAS: 3 }],
    ['not measured yet', hpa([cpu]), { TARGETS: 'cpu: <unknown>/80%' }],
    ['no metrics', hpa(undefined, [], {}), { TARGETS: '<none>', MINPODS: '<unset>' }],
    ['more than two metrics', hpa([cpu, memory, requests], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 10 } } }, { type: 'Resource', resource: { name: 'memory', current: { averageValue: '100Mi' } } }]), { TARGETS: 'cpu: 10%/80%, memory: 100Mi/200Mi + 1 more...' }],
  ])('%s', (_name, o, want) => {
    expect(row(o)).toMatchObject(want);
  });
});

describe('cluster and config kinds', () => {
  const event = (extra: Loose) =>
    obj('v1', 'Event', 'web.17a', { involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' }, reason: 'Pulled', message: 'Image pulled', type: 'Normal', ...extra });
  it.each<[string, KubeObject, Record<string, unknown>]>([
    [
      'event',
      event({ source: { component: 'kubelet', host: 'n1' }, firstTimestamp: ago(600), lastTimestamp: ago(30), count: 3 }),
      { 'LAST SEEN': '30s', TYPE: 'Normal', REASON: 'Pulled', OBJECT: 'pod/web', MESSAGE: 'Image pulled', SUBOBJECT: 'spec.containers{app}', SOURCE: 'kubelet, n1', 'FIRST SEEN': '10m', COUNT: 3, NAME: 'web.17a' },
    ],
    ['event of the events API', event({ eventTime: ago(5), series: { count: 7, lastObservedTime: ago(2) }, reportingComponent: 'kite-scheduler' }), { 'LAST SEEN': '2s', SOURCE: 'kite-scheduler', COUNT: 7, 'FIRST SEEN': '5s' }],
    ['lease', obj('coordination.k8s.io/v1', 'Lease', 'n1', { spec: { holderIdentity: 'n1', leaseDurationSeconds: 40 } }), { HOLDER: 'n1' }],
    ['lease without holder', obj('coordination.k8s.io/v1', 'Lease', 'kube-scheduler', { spec: {} }), { HOLDER: '' }],
    ['runtime class', obj('node.k8s.io/v1', 'RuntimeClass', 'wasm', { handler: 'wasm' }), { HANDLER: 'wasm' }],
    ['secret', obj('v1', 'Secret', 'creds', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==' } }), { TYPE: 'kubernetes.io/tls', DATA: 2 }],
    ['secret without type', obj('v1', 'Secret', 'creds', {}), { TYPE: 'Opaque', DATA: 0 }],
    ['config map', obj('v1', 'ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }), { DATA: 3 }],
    ['namespace', obj('v1', 'Namespace', 'team-a', { status: { phase: 'Terminating' } }), { STATUS: 'Terminating' }],
    [
      'bound claim',
      obj('v1', 'PersistentVolumeClaim', 'data', { spec: { volumeName: 'pv-1', storageClassName: 'local', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] } }),
      { STATUS: 'Bound', VOLUME: 'pv-1', CAPACITY: '1Gi', 'ACCESS MODES': 'RWO,ROX', STORAGECLASS: 'local', VOLUMEATTRIBUTESCLASS: '<unset>', VOLUMEMODE: 'Filesystem' },
    ],
    ['pending claim', obj('v1', 'PersistentVolumeClaim', 'data', { spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } }), { STATUS: 'Pending', VOLUME: '', CAPACITY: '', 'ACCESS MODES': '', STORAGECLASS: '<unset>' }],
    [
      'volume',
      obj('v1', 'PersistentVolume', 'pv-1', { spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' } }, status: { phase: 'Bound' } }),
      { CAPACITY: '5Gi', 'ACCESS MODES': 'RWX', 'RECLAIM POLICY': 'Retain', STATUS: 'Bound', CLAIM: 'default/data', STORAGECLASS: '<unset>', REASON: '' },
    ],
    [
      'default storage class',
      obj('storage.k8s.io/v1', 'StorageClass', 'local-path', { provisioner: 'kite.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      { NAME: 'local-path (default)', PROVISIONER: 'kite.dev/local-path', RECLAIMPOLICY: 'Delete', VOLUMEBINDINGMODE: 'WaitForFirstConsumer', ALLOWVOLUMEEXPANSION: 'true' },
    ],
    ['storage class', obj('storage.k8s.io/v1', 'StorageClass', 'fast', { provisioner: 'example.com/fast', reclaimPolicy: 'Retain' }), { NAME: 'fast', RECLAIMPOLICY: 'Retain', VOLUMEBINDINGMODE: 'Immediate', ALLOWVOLUMEEXPANSION: 'false' }],
    ['a kind without columns', obj('example.dev/v1', 'Widget', 'w1'), { NAME: 'w1', AGE: '5m' }],
  ])('%s', (_name, o, want) => {
    expect(row(o)).toMatchObject(want);
  });
});

describe('humanDuration', () => {
  it.each([
    [-5, '<invalid>'],
    [-1, '0s'],
    [0, '0s'],
    [59, '59s'],
    [119, '119s'],
    [120, '2m'],
    [310, '5m10s'],
    [600, '10m'],
    [179 * 60, '179m'],
    [3 * 3600 + 20 * 60, '3h20m'],
    [8 * 3600, '8h'],
    [47 * 3600, '47h'],
    [51 * 3600, '2d3h'],
    [7 * 86400, '7d'],
    [40 * 86400, '40d'],
    [730 * 86400, '2y'],
    [(3 * 365 + 12) * 86400, '3y12d'],
    [9 * 365 * 86400, '9y'],
  ])('%d seconds is %s', (seconds, want) => {
    expect(humanDuration(seconds)).toBe(want);
  });
});
