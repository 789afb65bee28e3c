// Table tests of Service backends, Endpoints subsets and EndpointSlice planning.
import { describe, expect, it } from 'vitest';
import { resolveTargetPort, type EndpointSlice, type Pod, type Service } from '@kite/api-types';
import { compareIPs, serviceBackends } from '../../src/endpoints/backends.js';
import { planSlices, sliceEndpoint } from '../../src/endpoints/slices.js';
import { computeSubsets } from '../../src/endpoints/subsets.js';

interface PodOpts {
  ip?: string;
  ready?: boolean;
  deleting?: boolean;
  phase?: 'Running' | 'Succeeded' | 'Failed';
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[];
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x', ports: o.ports ?? [{ name: 'http', containerPort: 8080 }] }] },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === '' ? {} : { podIP: o.ip ?? `127.64.0.${name.charCodeAt(0) - 96}` }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

const svc = (ports: NonNullable<Service['spec']>['ports'], publishNotReadyAddresses = false): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { selector: { app: 'web' }, ports, publishNotReadyAddresses },
});

describe('target ports', () => {
  const p = pod('a', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  it.each([
    { name: 'a number', port: { port: 80, targetPort: 9000 }, want: 9000 },
    { name: 'a name', port: { port: 80, targetPort: 'http' }, want: 8080 },
    { name: 'defaults to port', port: { port: 80 }, want: 80 },
    { name: 'a name the pod lacks', port: { port: 80, targetPort: 'grpc' }, want: undefined },
    { name: 'a name with another protocol', port: { port: 53, targetPort: 'dns', protocol: 'TCP' as const }, want: undefined },
    { name: 'a name with its protocol', port: { port: 53, targetPort: 'dns', protocol: 'UDP' as const }, want: 53 },
  ])('resolves $name', ({ port, want }) => {
    expect(resolveTargetPort(port, p)).toBe(want);
  });

  it('orders IPs numerically', () => {
    expect(['127.0.0.10', '127.0.0.9', '10.0.0.1'].sort(compareIPs)).toEqual(['10.0.0.1', '127.0.0.9', '127.0.0.10']);
  });
});

describe('Endpoints subsets', () => {
  const http = [{ name: 'http', port: 80, targetPort: 'http' }];
  it.each([
    {
      name: 'ready and not ready addresses',
      service: svc(http),
      pods: [pod('a'), pod('b', { ready: false })],
      want: [{ addresses: ['127.64.0.1'], notReady: ['127.64.0.2'], ports: [['http', 8080]] }],
    },
    { name: 'pods without IP, finished or terminating are left out', service: svc(http), pods: [pod('a', { ip: '' }), pod('b', { phase: 'Succeeded' }), pod('c', { deleting: true }), pod('d')], want: [{ addresses: ['127.64.0.4'], notReady: [], ports: [['http', 8080]] }] },
    { name: 'publishNotReadyAddresses lists everyone as ready', service: svc(http, true), pods: [pod('a', { ready: false }), pod('b', { deleting: true })], want: [{ addresses: ['127.64.0.1', '127.64.0.2'], notReady: [], ports: [['http', 8080]] }] },
    {
      name: 'pods with different ports get their own subsets',
      service: svc(http),
      pods: [pod('a'), pod('b', { ports: [{ name: 'http', containerPort: 9090 }] }), pod('c', { ports: [{ name: 'other', containerPort: 1 }] })],
      want: [
        { addresses: ['127.64.0.1'], notReady: [], ports: [['http', 8080]] },
        { addresses: ['127.64.0.2'], notReady: [], ports: [['http', 9090]] },
      ],
    },
    { name: 'no pods, no subsets', service: svc(http), pods: [], want: [] },
  ])('$name', ({ service, pods, want }) => {
    const subsets = computeSubsets(serviceBackends(service, pods), service.spec?.publishNotReadyAddresses === true);
    expect(
      subsets.map((s) => ({ addresses: (s.addresses ?? []).map((a) => a.ip), notReady: (s.notReadyAddresses ?? []).map((a) => a.ip), ports: (s.ports ?? []).map((p) => [p.name, p.port]) })),
    ).toEqual(want);
  });

  it('names the pod and node of each address', () => {
    const [subset] = computeSubsets(serviceBackends(svc([{ port: 80 }]), [pod('a')]), false);
    expect(subset?.addresses?.[0]).toEqual({ ip: '127.64.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } });
  });
});

describe('EndpointSlice planning', () => {
  const service = svc([{ name: 'http', port: 80, targetPort: 'http' }]);
  const backends = (names: string[]) => serviceBackends(service, names.map((n) => pod(n)));
  const slice = (name: string, podNames: string[]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name },
    addressType: 'IPv4',
    endpoints: backends(podNames).map((b) => sliceEndpoint(b, false)),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  const ips = (eps: { addresses: string[] }[]) => eps.map((e) => e.addresses[0]);

  it('creates one slice for a new Service', () => {
    const plan = planSlices([], backends(['a', 'b']), false);
    expect(plan.updates).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(plan.creates.map((c) => ips(c.endpoints))).toEqual([['127.64.0.1', '127.64.0.2']]);
  });

  it('changes nothing when the slices are right', () => {
    expect(planSlices([slice('s1', ['a', 'b'])], backends(['a', 'b']), false)).toEqual({ updates: [], creates: [], deletes: [] });
  });

  it('rewrites only the slice that changed (sticky placement)', () => {
    const plan = planSlices([slice('s1', ['a', 'b']), slice('s2', ['c', 'd'])], backends(['a', 'b', 'c']), false, 2);
    expect(plan.updates.map((u) => [u.name, ips(u.endpoints)])).toEqual([['s2', ['127.64.0.3']]]);
    expect(plan.creates).toEqual([]);
  });

  it('fills free room before creating, and splits at maxPerSlice', () => {
    const plan = planSlices([slice('s1', ['a'])], backends(['a', 'b', 'c', 'd', 'e']), false, 2);
    expect(plan.updates.map((u) => [u.name, ips(u.endpoints)])).toEqual([['s1', ['127.64.0.1', '127.64.0.2']]]);
    expect(plan.creates.map((c) => ips(c.endpoints))).toEqual([['127.64.0.3', '127.64.0.4'], ['127.64.0.5']]);
  });

  it('deletes emptied slices but keeps one placeholder when no endpoints are left', () => {
    expect(planSlices([slice('s1', ['a']), slice('s2', ['b'])], backends(['b']), false).deletes).toEqual(['s1']);
    const none = planSlices([slice('s1', ['a']), slice('s2', ['b'])], [], false);
    expect(none.deletes).toEqual(['s2']);
    expect(none.updates).toEqual([{ name: 's1', endpoints: [], ports: [] }]);
    expect(planSlices([], [], false).creates).toEqual([{ endpoints: [], ports: [] }]);
  });

  it('keeps terminating pods as not ready, terminating endpoints', () => {
    const [b] = serviceBackends(service, [pod('a', { deleting: true })]);
    expect(b && sliceEndpoint(b, false).conditions).toEqual({ ready: false, serving: true, terminating: true });
  });
});
