// Table tests of Deployment status and conditions (src/deployment/progress.ts).
import { describe, expect, it } from 'vitest';
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '@kite/api-types';
import { calculateStatus, hasProgressed, isComplete, msUntilDeadline, progressingCondition, withCondition } from '../../src/deployment/progress.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const at = (sAgo: number) => new Date(NOW - sAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function d(o: { replicas?: number; generation?: number; paused?: boolean; deadline?: number; status?: DeploymentStatus } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation: o.generation ?? 2 },
    spec: { replicas: o.replicas ?? 4, selector: {}, template: {}, paused: o.paused, progressDeadlineSeconds: o.deadline ?? 600 },
    status: o.status,
  };
}

const rs = (name: string, s: ReplicaSet['status']): ReplicaSet => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name }, spec: { selector: {} }, status: s });
const progressing = (reason: string, updatedAgo: number, status: Condition['status'] = 'True'): Condition => ({ type: 'Progressing', status, reason, lastUpdateTime: at(updatedAgo), lastTransitionTime: at(updatedAgo) });

describe('calculateStatus', () => {
  it('sums the ReplicaSets; updated comes from the new one', () => {
    const newRS = rs('new', { replicas: 3, readyReplicas: 2, availableReplicas: 1 });
    const old = rs('old', { replicas: 2, readyReplicas: 2, availableReplicas: 2, terminatingReplicas: 1 });
    expect(calculateStatus(d(), newRS, [newRS, old])).toEqual({
      observedGeneration: 2,
      replicas: 5,
      updatedReplicas: 3,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 1,
      terminatingReplicas: 1,
    });
  });
});

describe('progress', () => {
  it.each([
    { name: 'more updated', prev: { updatedReplicas: 1, replicas: 4 }, next: { updatedReplicas: 2, replicas: 4 }, want: true },
    { name: 'fewer old', prev: { updatedReplicas: 2, replicas: 5 }, next: { updatedReplicas: 2, replicas: 4 }, want: true },
    { name: 'more available', prev: { availableReplicas: 1 }, next: { availableReplicas: 2 }, want: true },
    { name: 'nothing moved', prev: { updatedReplicas: 2, replicas: 4, availableReplicas: 3 }, next: { updatedReplicas: 2, replicas: 4, availableReplicas: 3 }, want: false },
  ])('hasProgressed: $name', ({ prev, next, want }) => {
    expect(hasProgressed(prev, next)).toBe(want);
  });

  it.each([
    { name: 'complete', dep: d({ status: { conditions: [progressing('ReplicaSetUpdated', 5)] } }), next: { observedGeneration: 2, replicas: 4, updatedReplicas: 4, availableReplicas: 4 }, hint: undefined, want: { status: 'True', reason: 'NewReplicaSetAvailable' } },
    { name: 'new ReplicaSet created', dep: d(), next: { observedGeneration: 2 }, hint: 'NewReplicaSetCreated' as const, want: { status: 'True', reason: 'NewReplicaSetCreated' } },
    { name: 'progressing', dep: d({ status: { updatedReplicas: 1, conditions: [progressing('NewReplicaSetCreated', 5)] } }), next: { observedGeneration: 2, updatedReplicas: 2 }, hint: undefined, want: { status: 'True', reason: 'ReplicaSetUpdated' } },
    { name: 'deadline passed', dep: d({ deadline: 10, status: { updatedReplicas: 1, conditions: [progressing('ReplicaSetUpdated', 11)] } }), next: { observedGeneration: 2, updatedReplicas: 1 }, hint: undefined, want: { status: 'False', reason: 'ProgressDeadlineExceeded' } },
    { name: 'deadline not yet', dep: d({ deadline: 10, status: { updatedReplicas: 1, conditions: [progressing('ReplicaSetUpdated', 9)] } }), next: { observedGeneration: 2, updatedReplicas: 1 }, hint: undefined, want: undefined },
    { name: 'paused', dep: d({ paused: true }), next: { observedGeneration: 2 }, hint: undefined, want: { status: 'Unknown', reason: 'DeploymentPaused' } },
    { name: 'resumed', dep: d({ status: { conditions: [progressing('DeploymentPaused', 5, 'Unknown')] } }), next: { observedGeneration: 2 }, hint: undefined, want: { status: 'Unknown', reason: 'DeploymentResumed' } },
  ])('Progressing: $name', ({ dep, next, hint, want }) => {
    const newRS = rs('web-abc', {});
    const got = progressingCondition({ d: dep, newRS, next, now: NOW, hint });
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(want);
  });

  it.each([
    { name: 'counts down from the last update', dep: d({ deadline: 10, status: { conditions: [progressing('ReplicaSetUpdated', 4)] } }), want: 6000 },
    { name: 'no deadline once complete', dep: d({ status: { conditions: [progressing('NewReplicaSetAvailable', 4)] } }), want: undefined },
    { name: 'none while paused', dep: d({ paused: true, status: { conditions: [progressing('ReplicaSetUpdated', 4)] } }), want: undefined },
    { name: 'zero once passed', dep: d({ deadline: 1, status: { conditions: [progressing('ReplicaSetUpdated', 4)] } }), want: 0 },
  ])('msUntilDeadline: $name', ({ dep, want }) => {
    expect(msUntilDeadline(dep, NOW)).toBe(want);
  });

  it('withCondition keeps an unchanged condition as it was, and lastTransitionTime while status holds', () => {
    const old = progressing('ReplicaSetUpdated', 60);
    const same = withCondition([old], progressing('ReplicaSetUpdated', 0));
    expect(same[0]).toEqual(old);
    const refreshed = withCondition([old], progressing('ReplicaSetUpdated', 0), true);
    expect(refreshed[0]?.lastUpdateTime).toBe(at(0));
    expect(refreshed[0]?.lastTransitionTime).toBe(at(60));
  });

  it('isComplete needs the spec observed', () => {
    const full = { replicas: 4, updatedReplicas: 4, availableReplicas: 4 };
    expect(isComplete(d(), { ...full, observedGeneration: 2 })).toBe(true);
    expect(isComplete(d(), { ...full, observedGeneration: 1 })).toBe(false);
  });
});
