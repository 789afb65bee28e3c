// Table tests of the rolling-update arithmetic (src/deployment/math.ts).
import { describe, expect, it } from 'vitest';
import { newReplicaSetSize, planOldScaleDown, planProportionalScale, resolveBudget, resolveIntOrPercent, type RSCounts } from '../../src/deployment/math.js';

const rs = (name: string, replicas: number, available = replicas, pods = replicas, created = 0): RSCounts => ({ name, replicas, available, pods, created });

describe('resolveIntOrPercent', () => {
  it.each([
    { value: 3, total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: false, want: 2 },
    { value: '100%', total: 7, up: false, want: 7 },
    { value: '0%', total: 7, up: true, want: 0 },
    { value: '33%', total: 1000, up: true, want: 330 },
    { value: undefined, total: 10, up: true, want: 0 },
  ])('$value of $total (round up $up) = $want', ({ value, total, up, want }) => {
    expect(resolveIntOrPercent(value, total, up)).toBe(want);
  });
});

describe('resolveBudget', () => {
  it.each([
    { name: 'defaults 25%/25% of 10', strategy: undefined, desired: 10, want: { surge: 3, unavailable: 2 } },
    { name: 'defaults of 1', strategy: { type: 'RollingUpdate' as const }, desired: 1, want: { surge: 1, unavailable: 0 } },
    { name: 'both zero → unavailable 1', strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, desired: 5, want: { surge: 0, unavailable: 1 } },
    { name: 'percent rounding to zero both', strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: '10%', maxUnavailable: '10%' } }, desired: 5, want: { surge: 1, unavailable: 0 } },
    { name: 'unavailable capped at desired', strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 5 } }, desired: 3, want: { surge: 1, unavailable: 3 } },
    { name: 'Recreate has no budget', strategy: { type: 'Recreate' as const }, desired: 10, want: { surge: 0, unavailable: 0 } },
    { name: '1000 replicas 25%', strategy: undefined, desired: 1000, want: { surge: 250, unavailable: 250 } },
  ])('$name', ({ strategy, desired, want }) => {
    expect(resolveBudget(strategy, desired)).toEqual(want);
  });
});

describe('newReplicaSetSize', () => {
  const budget = { surge: 3, unavailable: 2 };
  it.each([
    { name: 'fresh rollout: surge room 3', newRS: rs('new', 0), olds: [rs('old', 10)], want: 3 },
    { name: 'old told 10→8 but still 10 pods: no room', newRS: rs('new', 3, 0, 3), olds: [rs('old', 8, 8, 10)], want: 3 },
    { name: 'old pods down to 8: room 2', newRS: rs('new', 3, 0, 3), olds: [rs('old', 8, 8, 8)], want: 5 },
    { name: 'never above desired', newRS: rs('new', 9), olds: [rs('old', 0, 0, 0)], want: 10 },
    { name: 'above desired scales down to desired', newRS: rs('new', 12), olds: [], want: 10 },
    { name: 'several old ReplicaSets count together', newRS: rs('new', 2), olds: [rs('a', 5), rs('b', 5)], want: 3 },
    { name: 'new RS pods not yet in spec count too', newRS: rs('new', 3, 0, 4), olds: [rs('old', 8, 8, 8)], want: 4 },
  ])('$name', ({ newRS, olds, want }) => {
    expect(newReplicaSetSize(10, budget, newRS, [newRS, ...olds])).toBe(want);
  });
});

describe('planOldScaleDown', () => {
  const budget = { surge: 3, unavailable: 2 };
  it.each([
    { name: 'new pods unavailable: drop only maxUnavailable', newRS: rs('new', 3, 0), olds: [rs('old', 10)], want: [{ name: 'old', replicas: 8 }] },
    { name: 'three new available: drop three more', newRS: rs('new', 5, 3), olds: [rs('old', 8)], want: [{ name: 'old', replicas: 5 }] },
    { name: 'nothing available to spare: wait', newRS: rs('new', 5, 0), olds: [rs('old', 8)], want: [] },
    { name: 'unhealthy old pods go first, beyond the availability budget', newRS: rs('new', 3, 0), olds: [rs('old', 10, 7)], want: [{ name: 'old', replicas: 8 }] },
    {
      name: 'oldest old ReplicaSet first',
      newRS: rs('new', 4, 4),
      olds: [rs('newer', 3, 3, 3, 2), rs('oldest', 3, 3, 3, 1)],
      want: [{ name: 'oldest', replicas: 1 }],
    },
    { name: 'old already at zero', newRS: rs('new', 10), olds: [rs('old', 0, 0, 0)], want: [] },
    { name: 'stale available above spec is not trusted', newRS: rs('new', 3, 0), olds: [rs('old', 8, 10)], want: [] },
  ])('$name', ({ newRS, olds, want }) => {
    expect(planOldScaleDown(10, budget, newRS, olds)).toEqual(want);
  });
});

describe('planProportionalScale', () => {
  it.each([
    { name: '10→15 mid-rollout (example)', desired: 15, active: [rs('old', 8, 8, 8, 1), rs('new', 5, 0, 5, 2)], want: [{ name: 'old', replicas: 12 }, { name: 'new', replicas: 7 }] },
    { name: '10→5 mid-rollout', desired: 5, active: [rs('old', 8, 8, 8, 1), rs('new', 5, 0, 5, 2)], want: [{ name: 'old', replicas: 4 }, { name: 'new', replicas: 3 }] },
    { name: 'already at desired + surge', desired: 10, active: [rs('old', 8), rs('new', 5)], want: [] },
  ])('$name', ({ desired, active, want }) => {
    const surge = Math.ceil(desired * 0.25);
    const steps = planProportionalScale(desired, { surge, unavailable: 0 }, active);
    expect(steps).toEqual(want);
    const total = active.reduce((n, r) => n + (steps.find((s) => s.name === r.name)?.replicas ?? r.replicas), 0);
    expect(total).toBe(desired + surge);
  });
});
