// Table tests of when a pod's DisruptionTarget condition is stale (Kubernetes' stalePodDisruptionTimeout).
import { describe, expect, it } from 'vitest';
import type { Pod } from '@kite/api-types';
import { STALE_POD_DISRUPTION_TIMEOUT_MS, staleDisruptionIn } from '../../../src/disruption/stale.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function pod(o: { status?: 'True' | 'False'; reason?: string; since?: number; deleting?: boolean; phase?: string } = {}): Pod {
  const conditions = o.status ? [{ type: 'DisruptionTarget', status: o.status, reason: o.reason ?? 'EvictionByEvictionAPI', lastTransitionTime: iso(o.since ?? NOW) }] : [];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) }, status: { phase: o.phase ?? 'Running', conditions } } as Pod;
}

describe('staleDisruptionIn', () => {
  it.each<{ name: string; pod: Pod; want: number | undefined }>([
    { name: 'no condition', pod: pod(), want: undefined },
    { name: 'just set: the whole timeout to go', pod: pod({ status: 'True' }), want: STALE_POD_DISRUPTION_TIMEOUT_MS },
    { name: 'set a minute ago', pod: pod({ status: 'True', since: NOW - 60_000 }), want: STALE_POD_DISRUPTION_TIMEOUT_MS - 60_000 },
    { name: 'older than the timeout: stale now', pod: pod({ status: 'True', since: NOW - STALE_POD_DISRUPTION_TIMEOUT_MS - 1 }), want: 0 },
    { name: 'already False', pod: pod({ status: 'False', since: NOW - 10 * 60_000 }), want: undefined },
    { name: 'being deleted', pod: pod({ status: 'True', since: 0, deleting: true }), want: undefined },
    { name: 'terminal phase', pod: pod({ status: 'True', since: 0, phase: 'Succeeded' }), want: undefined },
    { name: "the kubelet's own condition", pod: pod({ status: 'True', since: 0, reason: 'TerminationByKubelet' }), want: undefined },
  ])('$name', ({ pod: p, want }) => {
    expect(staleDisruptionIn(p, NOW)).toBe(want);
  });
});
