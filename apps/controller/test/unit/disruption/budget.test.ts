// Table tests of the budget arithmetic (Kubernetes' disruption controller semantics).
import { describe, expect, it } from 'vitest';
import type { Pod, PodDisruptionBudgetSpec } from '@kite/api-types';
import { activeDisruptedPods, budgetCounts, countHealthy, DELETION_TIMEOUT_MS, disruptionsAllowed, needsControllerScale } from '../../../src/disruption/budget.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function pod(name: string, o: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('budgetCounts', () => {
  it.each<{ name: string; spec: PodDisruptionBudgetSpec; pods: number; scale: number; expected: number; desired: number }>([
    { name: 'minAvailable integer counts the pods', spec: { minAvailable: 2 }, pods: 3, scale: 99, expected: 3, desired: 2 },
    { name: 'minAvailable percentage of the scale, rounded up', spec: { minAvailable: '50%' }, pods: 2, scale: 3, expected: 3, desired: 2 },
    { name: 'maxUnavailable integer', spec: { maxUnavailable: 1 }, pods: 3, scale: 3, expected: 3, desired: 2 },
    { name: 'maxUnavailable percentage rounds up: 50% of 3 is 2', spec: { maxUnavailable: '50%' }, pods: 3, scale: 3, expected: 3, desired: 1 },
    { name: 'maxUnavailable above the scale floors at 0', spec: { maxUnavailable: 5 }, pods: 3, scale: 3, expected: 3, desired: 0 },
    { name: 'maxUnavailable 0 keeps all', spec: { maxUnavailable: 0 }, pods: 4, scale: 4, expected: 4, desired: 4 },
    { name: 'minAvailable 100%', spec: { minAvailable: '100%' }, pods: 5, scale: 5, expected: 5, desired: 5 },
    { name: 'neither set', spec: {}, pods: 3, scale: 3, expected: 0, desired: 0 },
  ])('$name', ({ spec, pods, scale, expected, desired }) => {
    expect(budgetCounts(spec, pods, scale)).toEqual({ expectedPods: expected, desiredHealthy: desired });
  });

  it.each<{ spec: PodDisruptionBudgetSpec; want: boolean }>([
    { spec: { minAvailable: 1 }, want: false },
    { spec: { minAvailable: '10%' }, want: true },
    { spec: { maxUnavailable: 1 }, want: true },
    { spec: {}, want: false },
  ])('needsControllerScale($spec) = $want', ({ spec, want }) => {
    expect(needsControllerScale(spec)).toBe(want);
  });
});

describe('disruptionsAllowed', () => {
  it.each([
    { healthy: 3, desired: 2, expected: 3, want: 1 },
    { healthy: 2, desired: 2, expected: 3, want: 0 },
    { healthy: 1, desired: 2, expected: 3, want: 0 },
    { healthy: 3, desired: 0, expected: 0, want: 0 },
    { healthy: 3, desired: 1, expected: 3, want: 2 },
  ])('healthy $healthy, desired $desired, expected $expected → $want', ({ healthy, desired, expected, want }) => {
    expect(disruptionsAllowed(healthy, desired, expected)).toBe(want);
  });
});

describe('activeDisruptedPods', () => {
  const recent = iso(NOW - 10_000);
  const old = iso(NOW - DELETION_TIMEOUT_MS - 1000);
  it.each<{ name: string; pods: Pod[]; disrupted: Record<string, string> | undefined; pending: Record<string, string>; expired: string[]; recheckAt?: number }>([
    { name: 'no entries', pods: [pod('a')], disrupted: undefined, pending: {}, expired: [] },
    { name: 'a recent entry stays, recheck at its expiry', pods: [pod('a')], disrupted: { a: recent }, pending: { a: recent }, expired: [], recheckAt: NOW - 10_000 + DELETION_TIMEOUT_MS },
    { name: 'an entry older than 2 minutes expires', pods: [pod('a')], disrupted: { a: old }, pending: {}, expired: ['a'] },
    { name: 'a pod being deleted drops its entry', pods: [pod('a', { deleting: true })], disrupted: { a: recent }, pending: {}, expired: [] },
    { name: 'a pod that is gone drops its entry', pods: [pod('b')], disrupted: { a: recent }, pending: {}, expired: [] },
    { name: 'an unparsable time expires', pods: [pod('a')], disrupted: { a: 'yesterday' }, pending: {}, expired: ['a'] },
  ])('$name', ({ pods, disrupted, pending, expired, recheckAt }) => {
    const got = activeDisruptedPods(pods, disrupted, NOW);
    expect(got.pending).toEqual(pending);
    expect(got.expired).toEqual(expired);
    expect(got.recheckAt).toBe(recheckAt);
  });
});

describe('countHealthy', () => {
  it.each<{ name: string; pods: Pod[]; pending: Record<string, string>; want: number }>([
    { name: 'ready pods count', pods: [pod('a'), pod('b'), pod('c')], pending: {}, want: 3 },
    { name: 'not ready pods do not', pods: [pod('a'), pod('b', { ready: false })], pending: {}, want: 1 },
    { name: 'pods being deleted do not', pods: [pod('a'), pod('b', { deleting: true })], pending: {}, want: 1 },
    { name: 'pods just evicted do not', pods: [pod('a'), pod('b')], pending: { b: iso(NOW - 1000) }, want: 1 },
    { name: 'an eviction over 2 minutes old counts again', pods: [pod('a'), pod('b')], pending: { b: iso(NOW - DELETION_TIMEOUT_MS - 1) }, want: 2 },
  ])('$name', ({ pods, pending, want }) => {
    expect(countHealthy(pods, pending, NOW)).toBe(want);
  });
});
