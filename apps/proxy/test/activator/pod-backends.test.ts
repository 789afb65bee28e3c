// Table tests of the backends the activator may forward to before an EndpointSlice names them.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '@kite/api-types';
import { podBackends } from '../../src/activator/pod-backends.js';

const svc = (ports: NonNullable<Service['spec']>['ports']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports } });

interface PodShape {
  name?: string;
  ip?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  deleting?: boolean;
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[];
}

const pod = (o: PodShape = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name ?? 'web-1', namespace: 'default', ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'x.wasm', ports: o.ports ?? [{ name: 'web', containerPort: 8080 }] }] },
    status: { phase: o.phase ?? 'Running', ...(o.ip === '' ? {} : { podIP: o.ip ?? '127.64.1.5' }), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  }) as Pod;

const http = svc([{ name: 'http', port: 80, targetPort: 8080 }]);
const named = svc([{ name: 'http', port: 80, targetPort: 'web' }]);
const unnamed = svc([{ port: 80 }]);

describe('podBackends', () => {
  it.each([
    ['a Ready pod on a numeric targetPort', http, 'http', [pod()], ['127.64.1.5:8080']],
    ['a named targetPort resolved on the pod', named, 'http', [pod({ ports: [{ name: 'web', containerPort: 9090 }] })], ['127.64.1.5:9090']],
    ['a pod without the named port', named, 'http', [pod({ ports: [{ name: 'other', containerPort: 9090 }] })], []],
    ['a named port of another protocol', named, 'http', [pod({ ports: [{ name: 'web', containerPort: 9090, protocol: 'UDP' }] })], []],
    ['no targetPort: the Service port', unnamed, '', [pod()], ['127.64.1.5:80']],
    ['a port name the Service lacks', http, 'metrics', [pod()], []],
    ['a pod not Ready', http, 'http', [pod({ ready: false })], []],
    ['a pod being deleted', http, 'http', [pod({ deleting: true })], []],
    ['a finished pod', http, 'http', [pod({ phase: 'Succeeded' })], []],
    ['a pod without an IP yet', http, 'http', [pod({ ip: '' })], []],
    ['an address off loopback', http, 'http', [pod({ ip: '10.0.0.5' })], []],
    ['several, sorted by address', http, 'http', [pod({ name: 'b', ip: '127.64.1.10' }), pod({ name: 'a', ip: '127.64.1.9' })], ['127.64.1.9:8080', '127.64.1.10:8080']],
  ])('%s', (_why, service, portName, pods, want) => {
    expect(podBackends(service, portName, pods).map((b) => b.key)).toEqual(want);
  });

  it('names the pod of each backend, for the per-pod request counter', () => {
    expect(podBackends(http, 'http', [pod({ name: 'web-7x' })])).toEqual([{ ip: '127.64.1.5', port: 8080, key: '127.64.1.5:8080', pod: 'web-7x' }]);
  });
});
