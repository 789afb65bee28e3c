// Kubernetes' horizontal_test.go normalization cases as tables: proposal + history in, replicas and conditions out.
import { describe, expect, it } from 'vitest';
import { emptyHistory, type BehaviorSpec, type NormalizeInput, type ScaleHistory } from '../../../src/podautoscaler/calculator-types.js';
import { normalizeDesiredReplicas, recordScaleEvent, withBehaviorDefaults } from '../../../src/podautoscaler/behavior.js';

const NOW = 1_000_000_000;
const S = 1000;
const WINDOW = 300 * S;

interface Case {
  current: number;
  desired: number;
  min?: number;
  max?: number;
  behavior?: BehaviorSpec;
  history?: Partial<ScaleHistory>;
}
interface Want {
  replicas: number;
  able: string;
  limited: 'True' | 'False';
  limitedReason: string;
}

function run(c: Case): ReturnType<typeof normalizeDesiredReplicas> {
  const input: NormalizeInput = {
    currentReplicas: c.current,
    desiredReplicas: c.desired,
    minReplicas: c.min ?? 1,
    maxReplicas: c.max ?? 100,
    behavior: c.behavior,
    downscaleStabilizationWindowMs: WINDOW,
    history: { ...emptyHistory(), ...c.history },
    nowMs: NOW,
  };
  return normalizeDesiredReplicas(input);
}
const rec = (replicas: number, agoS: number): { replicas: number; timestampMs: number } => ({ replicas, timestampMs: NOW - agoS * S });
const ev = (replicaChange: number, agoS: number): { replicaChange: number; timestampMs: number } => ({ replicaChange, timestampMs: NOW - agoS * S });
const noWindowDown: BehaviorSpec = { scaleDown: { stabilizationWindowSeconds: 0 } };

describe('normalizeDesiredReplicas without behavior', () => {
  it.each<[string, Case, Want]>([
    ['unchanged', { current: 4, desired: 4 }, { replicas: 4, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['scale up at most to 2 × current', { current: 3, desired: 10 }, { replicas: 6, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['scale up at least to 4', { current: 1, desired: 10 }, { replicas: 4, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['max below the rate limit: TooManyReplicas', { current: 5, desired: 12, max: 8 }, { replicas: 8, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'TooManyReplicas' }],
    ['below min: TooFewReplicas', { current: 5, desired: 1, min: 2 }, { replicas: 2, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'TooFewReplicas' }],
    ['a higher recommendation within the window holds the count', { current: 8, desired: 3, history: { recommendations: [rec(8, 60)] } }, { replicas: 8, able: 'ScaleDownStabilized', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['the highest of several recent recommendations wins', { current: 8, desired: 3, history: { recommendations: [rec(5, 200), rec(6, 100), rec(4, 10)] } }, { replicas: 6, able: 'ScaleDownStabilized', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['a recommendation older than the window is forgotten', { current: 8, desired: 3, history: { recommendations: [rec(8, 301)] } }, { replicas: 3, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['minReplicas 0 lets the count reach 0', { current: 2, desired: 0, min: 0 }, { replicas: 0, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
  ])('%s', (_n, c, want) => {
    const got = run(c);
    expect({ replicas: got.replicas, able: got.ableToScale.reason, limited: got.scalingLimited.status, limitedReason: got.scalingLimited.reason }).toEqual(want);
    expect(got.ableToScale.status).toBe('True');
  });

  it('keeps the recent recommendations and the new one, drops the old', () => {
    const got = run({ current: 8, desired: 3, history: { recommendations: [rec(8, 400), rec(6, 100)] } });
    expect(got.history.recommendations).toEqual([rec(6, 100), rec(3, 0)]);
  });

  it.each<[string, Case, string, string]>([
    ['ScaleDownStabilized', { current: 8, desired: 3, history: { recommendations: [rec(8, 60)] } }, 'ableToScale', 'recent recommendations were higher than current one, applying the highest recent recommendation'],
    ['ReadyForNewScale', { current: 4, desired: 4 }, 'ableToScale', 'recommended size matches current size'],
    ['TooFewReplicas', { current: 5, desired: 1, min: 2 }, 'scalingLimited', 'the desired replica count is less than the minimum replica count'],
    ['TooManyReplicas', { current: 5, desired: 12, max: 8 }, 'scalingLimited', 'the desired replica count is more than the maximum replica count'],
    ['ScaleUpLimit', { current: 3, desired: 10 }, 'scalingLimited', 'the desired replica count is increasing faster than the maximum scale rate'],
    ['DesiredWithinRange', { current: 4, desired: 4 }, 'scalingLimited', 'the desired count is within the acceptable range'],
  ])('message for %s', (_n, c, which, message) => {
    const got = run(c);
    expect(which === 'ableToScale' ? got.ableToScale.message : got.scalingLimited.message).toBe(message);
  });
});

describe('normalizeDesiredReplicas with behavior', () => {
  const pods = (value: number, periodSeconds: number): { type: 'Pods'; value: number; periodSeconds: number } => ({ type: 'Pods', value, periodSeconds });
  const pct = (value: number, periodSeconds: number): { type: 'Percent'; value: number; periodSeconds: number } => ({ type: 'Percent', value, periodSeconds });
  it.each<[string, Case, Want]>([
    ['defaults: up by max(4 pods, 100%) per 15 s: 2 → 6', { current: 2, desired: 20, behavior: {} }, { replicas: 6, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['defaults: 10 → 20 is within 100%', { current: 10, desired: 20, behavior: {} }, { replicas: 20, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['selectPolicy Min takes the smaller change: 2 → 4', { current: 2, desired: 20, behavior: { scaleUp: { selectPolicy: 'Min', policies: [pods(4, 15), pct(100, 15)] } } }, { replicas: 4, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['Percent up rounds up: 3 × 1.1 → 4', { current: 3, desired: 20, behavior: { scaleUp: { policies: [pct(10, 60)] } } }, { replicas: 4, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['scale-ups in the period use up the allowance', { current: 6, desired: 20, behavior: { scaleUp: { policies: [pods(4, 60)] } }, history: { scaleUpEvents: [ev(4, 30)] } }, { replicas: 6, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['scale-ups older than the period do not count', { current: 6, desired: 20, behavior: { scaleUp: { policies: [pods(4, 60)] } }, history: { scaleUpEvents: [ev(4, 61)] } }, { replicas: 10, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['scale up Disabled keeps the count', { current: 3, desired: 6, behavior: { scaleUp: { selectPolicy: 'Disabled' } } }, { replicas: 3, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleUpLimit' }],
    ['max below the rate limit: TooManyReplicas', { current: 3, desired: 10, max: 5, behavior: {} }, { replicas: 5, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'TooManyReplicas' }],
    ['a scale-up window holds the lowest recent recommendation', { current: 2, desired: 5, behavior: { scaleUp: { stabilizationWindowSeconds: 60 } }, history: { recommendations: [rec(3, 30)] } }, { replicas: 3, able: 'ScaleUpStabilized', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['the scale-down window defaults to the controller flag (300 s)', { current: 8, desired: 2, behavior: {}, history: { recommendations: [rec(8, 100)] } }, { replicas: 8, able: 'ScaleDownStabilized', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['a behavior window overrides the flag', { current: 8, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } }, history: { recommendations: [rec(8, 100)] } }, { replicas: 2, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['defaults down 100% per 15 s: straight to the proposal', { current: 8, desired: 2, behavior: noWindowDown }, { replicas: 2, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['down by 1 pod per 60 s', { current: 8, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [pods(1, 60)] } } }, { replicas: 7, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleDownLimit' }],
    ['down, Max: the larger change of Pods 3 (→ 8) and 10% (→ 9) after one removal 30 s ago', { current: 10, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [pods(3, 60), pct(10, 60)] } }, history: { scaleDownEvents: [ev(1, 30)] } }, { replicas: 8, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleDownLimit' }],
    ['down, Min: the smaller change', { current: 10, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [pods(3, 60), pct(10, 60)] } }, history: { scaleDownEvents: [ev(1, 30)] } }, { replicas: 9, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleDownLimit' }],
    ['down allowance used up: stays', { current: 8, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [pods(2, 60)] } }, history: { scaleDownEvents: [ev(2, 10)] } }, { replicas: 8, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleDownLimit' }],
    ['scale down Disabled keeps the count', { current: 5, desired: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } } }, { replicas: 5, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'ScaleDownLimit' }],
    ['below min: TooFewReplicas', { current: 5, desired: 0, min: 2, behavior: noWindowDown }, { replicas: 2, able: 'ReadyForNewScale', limited: 'True', limitedReason: 'TooFewReplicas' }],
    ['minReplicas 0: down to zero', { current: 2, desired: 0, min: 0, behavior: noWindowDown }, { replicas: 0, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
    ['unchanged', { current: 4, desired: 4, behavior: {} }, { replicas: 4, able: 'ReadyForNewScale', limited: 'False', limitedReason: 'DesiredWithinRange' }],
  ])('%s', (_n, c, want) => {
    const got = run(c);
    expect({ replicas: got.replicas, able: got.ableToScale.reason, limited: got.scalingLimited.status, limitedReason: got.scalingLimited.reason }).toEqual(want);
  });

  it('ScaleUpStabilized says so', () => {
    const got = run({ current: 2, desired: 5, behavior: { scaleUp: { stabilizationWindowSeconds: 60 } }, history: { recommendations: [rec(3, 30)] } });
    expect(got.ableToScale.message).toBe('recent recommendations were lower than current one, applying the lowest recent recommendation');
  });

  it('drops recommendations older than both windows and records the unstabilized one', () => {
    const got = run({ current: 8, desired: 2, behavior: { scaleUp: { stabilizationWindowSeconds: 60 }, scaleDown: { stabilizationWindowSeconds: 120 } }, history: { recommendations: [rec(9, 200), rec(7, 90), rec(6, 30)] } });
    expect(got.replicas).toBe(7);
    expect(got.history.recommendations).toEqual([rec(7, 90), rec(6, 30), rec(2, 0)]);
  });
});

describe('withBehaviorDefaults', () => {
  it('fills in Kubernetes defaults', () => {
    expect(withBehaviorDefaults({}, WINDOW)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('recordScaleEvent', () => {
  const h = (up: number[][], down: number[][]): ScaleHistory => ({ recommendations: [], scaleUpEvents: up.map(([c = 0, a = 0]) => ev(c, a)), scaleDownEvents: down.map(([c = 0, a = 0]) => ev(c, a)) });
  it.each<[string, BehaviorSpec | undefined, ScaleHistory, number, number, ScaleHistory]>([
    ['no behavior: nothing kept', undefined, h([], []), 2, 5, h([], [])],
    ['a scale up is appended', {}, h([[1, 5]], []), 2, 5, h([[1, 5], [3, 0]], [])],
    ['events older than the longest period (15 s) are dropped', {}, h([[1, 20], [1, 5]], []), 2, 5, h([[1, 5], [3, 0]], [])],
    ['a scale down goes to the down events', {}, h([[1, 5]], []), 5, 2, h([[1, 5]], [[3, 0]])],
    ['the longest of several periods decides', { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 15 }] } }, h([], [[1, 50], [1, 70]]), 5, 4, h([], [[1, 50], [1, 0]])],
    ['no change: nothing kept', {}, h([], []), 3, 3, h([], [])],
  ])('%s', (_n, behavior, history, prev, next, want) => {
    expect(recordScaleEvent(history, behavior, prev, next, NOW)).toEqual(want);
  });
});
