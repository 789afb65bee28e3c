// Table tests of CIDR allocation, condition taints, eviction timing and node health tracking.
import { describe, expect, it } from 'vitest';
import type { Lease, Node, Taint, Toleration } from '@kite/api-types';
import { CidrSet, parseCidr, formatCidr } from '../../src/nodeipam/cidr.js';
import { HealthTracker } from '../../src/nodelifecycle/health.js';
import { evictionTime, reconcileConditionTaints, tolerates, TAINT_NOT_READY, TAINT_UNREACHABLE } from '../../src/nodelifecycle/taints.js';

describe('CIDR allocation', () => {
  it.each([
    { cidr: '127.64.0.0/10', want: '127.64.0.0/10' },
    { cidr: '10.1.2.3/16', want: '10.1.0.0/16' },
    { cidr: '0.0.0.0/0', want: '0.0.0.0/0' },
  ])('parses $cidr', ({ cidr, want }) => {
    expect(formatCidr(parseCidr(cidr))).toBe(want);
  });

  it.each(['127.64.0.0', '300.1.1.1/8', '1.2.3.4/33', 'fe80::/64'])('rejects %s', (cidr) => {
    expect(() => parseCidr(cidr)).toThrow(/invalid IPv4 CIDR/);
  });

  it('hands out the default cluster CIDR /24 by /24, lowest first', () => {
    const set = new CidrSet('127.64.0.0/10', 24);
    expect(set.size).toBe(16_384);
    expect([set.allocate(), set.allocate(), set.allocate()]).toEqual(['127.64.0.0/24', '127.64.1.0/24', '127.64.2.0/24']);
    set.release('127.64.1.0/24');
    expect(set.allocate()).toBe('127.64.1.0/24');
    expect(set.allocate()).toBe('127.64.3.0/24');
  });

  it.each([
    { name: 'the last /16 of a /8', cluster: '10.0.0.0/8', mask: 16, skip: 255, want: '10.255.0.0/16' },
    { name: 'last subnet of the default range', cluster: '127.64.0.0/10', mask: 24, skip: 16_383, want: '127.127.255.0/24' },
    { name: 'small subnets', cluster: '192.168.0.0/24', mask: 26, skip: 3, want: '192.168.0.192/26' },
  ])('allocates $name', ({ cluster, mask, skip, want }) => {
    const set = new CidrSet(cluster, mask);
    for (let i = 0; i < skip; i++) set.allocate();
    expect(set.allocate()).toBe(want);
  });

  it('skips subnets already in use, refuses foreign ones, and runs out', () => {
    const set = new CidrSet('192.168.0.0/24', 25);
    expect(set.occupy('192.168.0.0/25')).toBe(true);
    expect(set.occupy('10.0.0.0/25')).toBe(false);
    expect(set.occupy('192.168.0.0/24')).toBe(false);
    expect(set.allocate()).toBe('192.168.0.128/25');
    expect(set.allocate()).toBeUndefined();
  });

  it('rejects a mask shorter than the cluster prefix', () => {
    expect(() => new CidrSet('127.64.0.0/10', 8)).toThrow(/mask size/);
  });
});

describe('condition taints', () => {
  const now = '2025-01-01T00:00:00Z';
  const t = (key: string, effect: Taint['effect'], timeAdded?: string): Taint => ({ key, effect, ...(timeAdded ? { timeAdded } : {}) });
  it.each([
    { name: 'Unknown adds unreachable', current: [], ready: 'Unknown' as const, want: [t(TAINT_UNREACHABLE, 'NoSchedule'), t(TAINT_UNREACHABLE, 'NoExecute', now)] },
    { name: 'False adds not-ready', current: [], ready: 'False' as const, want: [t(TAINT_NOT_READY, 'NoSchedule'), t(TAINT_NOT_READY, 'NoExecute', now)] },
    { name: 'True removes both, keeps others', current: [t('dedicated', 'NoSchedule'), t(TAINT_UNREACHABLE, 'NoExecute', 'x')], ready: 'True' as const, want: [t('dedicated', 'NoSchedule')] },
    { name: 'Unknown → False swaps', current: [t(TAINT_UNREACHABLE, 'NoSchedule'), t(TAINT_UNREACHABLE, 'NoExecute', 'x')], ready: 'False' as const, want: [t(TAINT_NOT_READY, 'NoSchedule'), t(TAINT_NOT_READY, 'NoExecute', now)] },
    { name: 'already right: no change', current: [t(TAINT_UNREACHABLE, 'NoSchedule'), t(TAINT_UNREACHABLE, 'NoExecute', 'earlier')], ready: 'Unknown' as const, want: undefined },
    { name: 'True without taints: no change', current: [], ready: 'True' as const, want: undefined },
  ])('$name', ({ current, ready, want }) => {
    expect(reconcileConditionTaints(current, ready, now)).toEqual(want);
  });
});

describe('NoExecute eviction', () => {
  const added = Date.parse('2025-01-01T10:00:00Z');
  const unreachable: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2025-01-01T10:00:00Z' };
  const custom: Taint = { key: 'maintenance', value: 'yes', effect: 'NoExecute', timeAdded: '2025-01-01T10:00:00Z' };
  it.each<{ name: string; tolerations: Toleration[]; taints: Taint[]; want: number }>([
    { name: 'no toleration: the default 300 s', tolerations: [], taints: [unreachable], want: added + 300_000 },
    { name: 'own toleration of 30 s', tolerations: [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], taints: [unreachable], want: added + 30_000 },
    { name: 'tolerated forever', tolerations: [{ key: TAINT_UNREACHABLE, operator: 'Exists' }], taints: [unreachable], want: Infinity },
    { name: 'an untolerated custom taint: now', tolerations: [], taints: [custom], want: added },
    { name: 'custom taint tolerated by value', tolerations: [{ key: 'maintenance', value: 'yes', effect: 'NoExecute', tolerationSeconds: 60 }], taints: [custom], want: added + 60_000 },
    { name: 'the earliest taint wins', tolerations: [{ key: 'maintenance', operator: 'Exists', tolerationSeconds: 10 }], taints: [unreachable, custom], want: added + 10_000 },
    { name: 'NoSchedule taints never evict', tolerations: [], taints: [{ key: 'x', effect: 'NoSchedule' }], want: Infinity },
  ])('$name', ({ tolerations, taints, want }) => {
    expect(evictionTime(tolerations, taints, 300, added)).toBe(want);
  });

  it.each<{ tol: Toleration; taint: Taint; want: boolean }>([
    { tol: { operator: 'Exists' }, taint: { key: 'a', effect: 'NoExecute' }, want: true },
    { tol: { key: 'a', operator: 'Equal', value: 'v' }, taint: { key: 'a', value: 'w', effect: 'NoExecute' }, want: false },
    { tol: { key: 'a', effect: 'NoSchedule' }, taint: { key: 'a', effect: 'NoExecute' }, want: false },
    { tol: { key: 'a' }, taint: { key: 'a', effect: 'NoExecute' }, want: true },
  ])('tolerates($tol, $taint) = $want', ({ tol, taint, want }) => {
    expect(tolerates(tol, taint)).toBe(want);
  });
});

describe('node health', () => {
  const node = (heartbeat: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }] } });
  const lease = (renew: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { renewTime: renew } });
  it('records our own time whenever the lease or heartbeat changes', () => {
    const h = new HealthTracker();
    expect(h.observe(node('h1'), lease('r1'), 1000)).toBe(1000);
    expect(h.observe(node('h1'), lease('r1'), 5000)).toBe(1000);
    expect(h.observe(node('h1'), lease('r2'), 6000)).toBe(6000);
    expect(h.observe(node('h2'), lease('r2'), 9000)).toBe(9000);
    // A skewed kubelet clock writing times in the past still counts as a sign of life.
    expect(h.observe(node('h2'), lease('1970-01-01T00:00:00Z'), 12_000)).toBe(12_000);
  });
});
