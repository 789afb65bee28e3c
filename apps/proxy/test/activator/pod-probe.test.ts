// Table tests of which starting pods the activator checks itself and how (src/activator/pod-probe.ts).
import { describe, expect, it } from 'vitest';
import type { Pod, Probe } from '@kite/api-types';
import { probeTargets } from '../../src/activator/pod-probe.js';

const IP = '127.64.9.3';

function pod(o: { probe?: Probe; startup?: boolean; ready?: boolean; running?: boolean; phase?: string; ip?: string; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', uid: 'u', ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }], ...(o.probe ? { readinessProbe: o.probe } : {}), ...(o.startup ? { startupProbe: { tcpSocket: { port: 8080 } } } : {}) }],
    },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      podIP: o.ip ?? IP,
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'i', imageID: '', state: o.running === false ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
    },
  };
}

const http = (port: number | string, extra: Partial<NonNullable<Probe['httpGet']>> = {}): Probe => ({ httpGet: { port, ...extra } });

describe('probeTargets', () => {
  it.each<[string, Pod, unknown]>([
    ['httpGet on a named port, path defaulted', pod({ probe: http('http') }), [{ kind: 'http', ip: IP, port: 8080, path: '/', headers: { 'user-agent': 'kite-activator-probe' } }]],
    ['httpGet with path and headers', pod({ probe: http(9090, { path: 'healthz?x=1', httpHeaders: [{ name: 'X-A', value: '1' }] }) }), [{ kind: 'http', port: 9090, path: '/healthz?x=1', headers: { 'user-agent': 'kite-activator-probe', 'X-A': '1' } }]],
    ['tcpSocket', pod({ probe: { tcpSocket: { port: 8080 } } }), [{ kind: 'tcp', ip: IP, port: 8080 }]],
  ])('%s', (_why, p, want) => {
    expect(probeTargets(p)).toMatchObject(want as object);
  });

  it.each<[string, Pod]>([
    ['no readiness probe (the kubelet calls it Ready at once)', pod()],
    ['an exec probe', pod({ probe: { exec: { command: ['true'] } } })],
    ['HTTPS', pod({ probe: http(8443, { scheme: 'HTTPS' }) })],
    ['an unknown port name', pod({ probe: http('metrics') })],
    ['initialDelaySeconds', pod({ probe: { ...http(8080), initialDelaySeconds: 2 } })],
    ['a startup probe', pod({ probe: http(8080), startup: true })],
    ['already Ready', pod({ probe: http(8080), ready: true })],
    ['container not running', pod({ probe: http(8080), running: false })],
    ['Pending', pod({ probe: http(8080), phase: 'Pending' })],
    ['being deleted', pod({ probe: http(8080), deleting: true })],
    ['a pod IP off loopback', pod({ probe: http(8080), ip: '10.0.0.3' })],
  ])('leaves to the kubelet: %s', (_why, p) => {
    expect(probeTargets(p)).toBeUndefined();
  });
});
