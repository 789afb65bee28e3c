// Kubernetes' replica_calculator_test.go behaviour as tables: one metric's pods and samples in, the replica count out.
import { describe, expect, it } from 'vitest';
import { ReplicaCalculationError, type CalculatorOptions, type CalculatorPod, type PodMetricSample } from '../../../src/podautoscaler/calculator-types.js';
import {
  ERR_NO_MATCHING_METRICS,
  ERR_NO_METRICS,
  ERR_NO_PODS,
  getMetricReplicas,
  getObjectMetricReplicas,
  getObjectPerPodMetricReplicas,
  getRawResourceReplicas,
  getResourceReplicas,
} from '../../../src/podautoscaler/replica-calculator.js';

const NOW = 1_000_000_000;
const MIN = 60_000;
const OPTS: CalculatorOptions = { tolerances: { scaleUp: 0.1, scaleDown: 0.1 }, cpuInitializationPeriodMs: 5 * MIN, delayOfInitialReadinessStatusMs: 30_000, nowMs: NOW };

/** A Running, Ready pod started 10 minutes ago (past CPU initialisation), requesting 1000m. */
function pod(name: string, over: Partial<CalculatorPod> = {}): CalculatorPod {
  return { name, phase: 'Running', deleting: false, readyCondition: { status: 'True', lastTransitionMs: NOW - 9 * MIN }, startTimeMs: NOW - 10 * MIN, requestMilli: 1000, ...over };
}
const pending = (name: string): CalculatorPod => pod(name, { phase: 'Pending', readyCondition: undefined });
/** Started a minute ago and not Ready yet: within CPU initialisation. */
const starting = (name: string): CalculatorPod => pod(name, { startTimeMs: NOW - MIN, readyCondition: { status: 'False', lastTransitionMs: NOW - MIN } });

/** Samples by pod name, each taken now over a 30 s window. */
function samples(values: Record<string, number>): Map<string, PodMetricSample> {
  return new Map(Object.entries(values).map(([n, value]) => [n, { timestampMs: NOW, windowMs: 30_000, value }]));
}
const names = (n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const ready = (n: number): CalculatorPod[] => names(n).map((n) => pod(n));
const each = (n: number, value: number): Record<string, number> => Object.fromEntries(names(n).map((p) => [p, value]));

describe('getResourceReplicas (Utilization)', () => {
  it.each<[string, { current: number; target: number; resource?: string; pods: CalculatorPod[]; metrics: Record<string, number> }, { replicas: number; utilization: number; raw?: number }]>([
    ['scale up: 90% of a 50% target on 3 pods → ceil(1.8 × 3)', { current: 3, target: 50, pods: ready(3), metrics: each(3, 900) }, { replicas: 6, utilization: 90, raw: 900 }],
    ['scale down: 20% of 50% on 4 pods → ceil(0.4 × 4)', { current: 4, target: 50, pods: ready(4), metrics: each(4, 200) }, { replicas: 2, utilization: 20, raw: 200 }],
    ['within tolerance (53% of 50%): keep the current count', { current: 3, target: 50, pods: ready(3), metrics: each(3, 530) }, { replicas: 3, utilization: 53 }],
    ['within tolerance below (46% of 50%): keep', { current: 3, target: 50, pods: ready(3), metrics: each(3, 460) }, { replicas: 3, utilization: 46 }],
    ['the current count is kept even when it differs from the pods counted', { current: 7, target: 50, pods: ready(3), metrics: each(3, 510) }, { replicas: 7, utilization: 51 }],
    ['requests differ per pod: utilization is total usage over total request', { current: 2, target: 50, pods: [pod('p0', { requestMilli: 500 }), pod('p1', { requestMilli: 1500 })], metrics: { p0: 500, p1: 1500 } }, { replicas: 4, utilization: 100, raw: 1000 }],
    ['missing pod on a scale up counts as 0%: 1800m/3000m = 60% → ceil(1.2 × 3)', { current: 3, target: 50, pods: ready(3), metrics: each(2, 900) }, { replicas: 4, utilization: 90 }],
    ['missing pod on a scale down counts as 100%: 1300m/4000m = 32% → ceil(0.64 × 4)', { current: 4, target: 50, pods: ready(4), metrics: each(3, 100) }, { replicas: 3, utilization: 10 }],
    ['missing pods that reverse the direction (60% → 30%): keep', { current: 4, target: 50, pods: ready(4), metrics: each(2, 600) }, { replicas: 4, utilization: 60 }],
    ['missing pods that bring the ratio into tolerance: keep', { current: 4, target: 50, pods: ready(4), metrics: { p0: 1000, p1: 1000, p2: 200 } }, { replicas: 4, utilization: 73 }],
    ['a scale down that would grow past the current count (surge pods): keep', { current: 2, target: 50, pods: ready(4), metrics: each(3, 100) }, { replicas: 2, utilization: 10 }],
    ['Pending pods count as 0 on a scale up: 270/500 = 54% is within tolerance → keep 5', { current: 5, target: 50, pods: [...ready(3), pending('x0'), pending('x1')], metrics: each(3, 900) }, { replicas: 5, utilization: 90 }],
    ['one Pending pod on a scale up: 270/400 = 67% → ceil(1.34 × 4)', { current: 4, target: 50, pods: [...ready(3), pending('x0')], metrics: each(3, 900) }, { replicas: 6, utilization: 90 }],
    ['Pending pods are left out on a scale down: ceil(0.2 × 3)', { current: 4, target: 50, pods: [...ready(3), pending('x0')], metrics: each(3, 100) }, { replicas: 1, utilization: 10 }],
    ['CPU: an unready pod within initialisation has its sample dropped and counts 0 on a scale up', { current: 4, target: 50, pods: [...ready(3), starting('x0')], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 6, utilization: 90 }],
    ['memory ignores readiness: the same unready pod counts with its sample, 3700/4000 = 92%', { current: 4, target: 50, resource: 'memory', pods: [...ready(3), starting('x0')], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 8, utilization: 92 }],
    ['CPU: a Ready pod whose sample window began before it became ready is dropped', { current: 4, target: 50, pods: [...ready(3), pod('x0', { startTimeMs: NOW - 2 * MIN, readyCondition: { status: 'True', lastTransitionMs: NOW - 20_000 } })], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 6, utilization: 90 }],
    ['CPU: a Ready pod with a full window since readiness counts', { current: 4, target: 50, pods: [...ready(3), pod('x0', { startTimeMs: NOW - 2 * MIN, readyCondition: { status: 'True', lastTransitionMs: NOW - MIN } })], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 8, utilization: 92 }],
    ['CPU: past initialisation, unready and never ready (transition within the initial delay) is dropped', { current: 4, target: 50, pods: [...ready(3), pod('x0', { readyCondition: { status: 'False', lastTransitionMs: NOW - 10 * MIN + 10_000 } })], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 6, utilization: 90 }],
    ['CPU: past initialisation, unready after having been ready counts', { current: 4, target: 50, pods: [...ready(3), pod('x0', { readyCondition: { status: 'False', lastTransitionMs: NOW - 2 * MIN } })], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 8, utilization: 92 }],
    ['CPU: a pod without a Ready condition is dropped', { current: 4, target: 50, pods: [...ready(3), pod('x0', { readyCondition: undefined })], metrics: { ...each(3, 900), x0: 1000 } }, { replicas: 6, utilization: 90 }],
    ['deleted and Failed pods are ignored, not counted back in', { current: 5, target: 50, pods: [...ready(3), pod('x0', { deleting: true }), pod('x1', { phase: 'Failed' })], metrics: { ...each(3, 900), x0: 0 } }, { replicas: 6, utilization: 90 }],
    ['samples of pods no longer listed are skipped in the utilization', { current: 3, target: 50, pods: ready(3), metrics: { ...each(3, 900), gone: 0 } }, { replicas: 6, utilization: 90 }],
  ])('%s', (_n, c, want) => {
    const got = getResourceReplicas({ currentReplicas: c.current, targetUtilization: c.target, resource: c.resource ?? 'cpu', pods: c.pods, metrics: samples(c.metrics) }, OPTS);
    expect(got.replicas).toBe(want.replicas);
    expect(got.utilization).toBe(want.utilization);
    if (want.raw !== undefined) expect(got.rawAverageValue).toBe(want.raw);
  });

  it.each<[string, CalculatorPod[], Record<string, number>, string]>([
    ['no pods', [], {}, ERR_NO_PODS],
    ['no usable sample (all Pending)', [pending('x0'), pending('x1')], { x0: 100 }, ERR_NO_METRICS],
    ['no samples at all', ready(2), {}, ERR_NO_METRICS],
    ['a container without a request', [pod('web-1'), pod('web-2', { requestMilli: undefined, missingRequestContainer: 'web' })], { 'web-1': 100, 'web-2': 100 }, 'missing request for cpu in container web of Pod web-2'],
    ['samples only for pods not listed', [pod('a')], { x: 100 }, ERR_NO_MATCHING_METRICS],
  ])('error: %s', (_n, pods, metrics, message) => {
    const run = (): unknown => getResourceReplicas({ currentReplicas: 2, targetUtilization: 50, resource: 'cpu', pods, metrics: samples(metrics) }, OPTS);
    expect(run).toThrow(ReplicaCalculationError);
    expect(run).toThrow(message);
  });
});

describe('getMetricReplicas (Pods metric) and getRawResourceReplicas (AverageValue)', () => {
  it.each<[string, 'pods' | 'cpu' | 'memory', { current: number; target: number; pods: CalculatorPod[]; metrics: Record<string, number> }, { replicas: number; value: number }]>([
    ['pods: 20 rps per pod against 10 → ceil(2 × 3)', 'pods', { current: 3, target: 10_000, pods: ready(3), metrics: each(3, 20_000) }, { replicas: 6, value: 20_000 }],
    ['pods: within tolerance → keep', 'pods', { current: 3, target: 10_000, pods: ready(3), metrics: each(3, 10_500) }, { replicas: 3, value: 10_500 }],
    ['pods: scale down → ceil(0.2 × 5)', 'pods', { current: 5, target: 10_000, pods: ready(5), metrics: each(5, 2000) }, { replicas: 1, value: 2000 }],
    ['pods: a missing pod on a scale down counts at the target: 16000/4 → ceil(0.4 × 4)', 'pods', { current: 4, target: 10_000, pods: ready(4), metrics: each(3, 2000) }, { replicas: 2, value: 2000 }],
    ['pods: a missing pod on a scale up counts 0: 40000/3 → ceil(1.3333 × 3)', 'pods', { current: 3, target: 10_000, pods: ready(3), metrics: each(2, 20_000) }, { replicas: 4, value: 20_000 }],
    ['pods: readiness does not matter, the unready pod counts', 'pods', { current: 3, target: 10_000, pods: [...ready(2), starting('x0')], metrics: { ...each(2, 20_000), x0: 20_000 } }, { replicas: 6, value: 20_000 }],
    ['pods: a Pending pod counts 0 on a scale up', 'pods', { current: 3, target: 10_000, pods: [...ready(2), pending('x0')], metrics: each(2, 20_000) }, { replicas: 4, value: 20_000 }],
    ['pods: missing pods reversing the direction → keep', 'pods', { current: 4, target: 10_000, pods: ready(4), metrics: each(2, 12_000) }, { replicas: 4, value: 12_000 }],
    ['cpu AverageValue 1000m against 500m → ceil(2 × 2)', 'cpu', { current: 2, target: 500, pods: ready(2), metrics: each(2, 1000) }, { replicas: 4, value: 1000 }],
    ['cpu AverageValue: an initialising pod counts 0 on a scale up: 2000/3 → ceil(1.332 × 3)', 'cpu', { current: 3, target: 500, pods: [...ready(2), starting('x0')], metrics: { ...each(2, 1000), x0: 3000 } }, { replicas: 4, value: 1000 }],
    ['memory AverageValue ignores readiness', 'memory', { current: 3, target: 500, pods: [...ready(2), starting('x0')], metrics: { ...each(2, 1000), x0: 1000 } }, { replicas: 6, value: 1000 }],
  ])('%s', (_n, kind, c, want) => {
    const input = { currentReplicas: c.current, targetAverageValue: c.target, pods: c.pods, metrics: samples(c.metrics) };
    const got = kind === 'pods' ? getMetricReplicas(input, OPTS) : getRawResourceReplicas({ ...input, resource: kind }, OPTS);
    expect(got).toEqual(want);
  });

  it.each<[string, CalculatorPod[], Record<string, number>, string]>([
    ['no pods', [], {}, ERR_NO_PODS],
    ['no samples', ready(2), {}, ERR_NO_METRICS],
  ])('error: %s', (_n, pods, metrics, message) => {
    expect(() => getMetricReplicas({ currentReplicas: 2, targetAverageValue: 10_000, pods, metrics: samples(metrics) }, OPTS)).toThrow(message);
  });
});

describe('getObjectMetricReplicas (Value)', () => {
  it.each<[string, { current: number; value: number; target: number; pods: CalculatorPod[] }, number]>([
    ['twice the target on 3 ready pods → 6', { current: 3, value: 20_000, target: 10_000, pods: ready(3) }, 6],
    ['only ready Running pods count: 2 of 3 → 4', { current: 3, value: 20_000, target: 10_000, pods: [...ready(2), starting('x0')] }, 4],
    ['within tolerance → keep', { current: 3, value: 10_500, target: 10_000, pods: ready(3) }, 3],
    ['half the target → ceil(0.5 × 3)', { current: 3, value: 5000, target: 10_000, pods: ready(3) }, 2],
    ['from zero replicas: ceil(ratio), no pods needed', { current: 0, value: 15_000, target: 10_000, pods: [] }, 2],
    ['from zero with no load stays at zero', { current: 0, value: 0, target: 10_000, pods: [] }, 0],
  ])('%s', (_n, c, want) => {
    expect(getObjectMetricReplicas({ currentReplicas: c.current, value: c.value, targetValue: c.target, pods: c.pods }, OPTS)).toEqual({ replicas: want, value: c.value });
  });

  it('fails without pods when a change is due', () => {
    expect(() => getObjectMetricReplicas({ currentReplicas: 2, value: 30_000, targetValue: 10_000, pods: [] }, OPTS)).toThrow(`unable to calculate ready pods: ${ERR_NO_PODS}`);
  });
});

describe('getObjectPerPodMetricReplicas (AverageValue)', () => {
  it.each<[string, { status: number; value: number; target: number }, { replicas: number; value: number }]>([
    ['30 over 3 replicas against 5 each → 6', { status: 3, value: 30_000, target: 5000 }, { replicas: 6, value: 10_000 }],
    ['within tolerance → keep, average rounded up', { status: 3, value: 15_500, target: 5000 }, { replicas: 3, value: 5167 }],
    ['scale down → ceil(value / target)', { status: 4, value: 6000, target: 5000 }, { replicas: 2, value: 1500 }],
    ['no replicas yet: the whole value is the average', { status: 0, value: 6000, target: 5000 }, { replicas: 2, value: 6000 }],
  ])('%s', (_n, c, want) => {
    expect(getObjectPerPodMetricReplicas({ statusReplicas: c.status, value: c.value, targetAverageValue: c.target }, OPTS)).toEqual(want);
  });
});

describe('per-direction tolerances', () => {
  it.each<[string, number, number, number]>([
    ['a wider scale-up band keeps 125%', 0.3, 0.1, 4],
    ['the default band scales 125% up', 0.1, 0.1, 5],
  ])('%s', (_n, up, down, want) => {
    const got = getMetricReplicas({ currentReplicas: 4, targetAverageValue: 10_000, pods: ready(4), metrics: samples(each(4, 12_500)) }, { ...OPTS, tolerances: { scaleUp: up, scaleDown: down } });
    expect(got.replicas).toBe(want);
  });
});
