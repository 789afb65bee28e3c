/**
 * The HorizontalPodAutoscaler's replica arithmetic, as Kubernetes' replica_calculator.go does it: for one metric,
 * how many replicas would bring the current value to the target. Pure functions over the shell's pods and samples.
 *
 * The core rule is desired = ceil(ratio × pods), ratio = current / target, kept at the current count while the
 * ratio is within the tolerance band. Pods the metric cannot speak for are handled conservatively, so that a
 * missing or warming-up pod never drives a scale it would contradict:
 *  - deleted and Failed pods are ignored (their samples dropped);
 *  - Pending pods, and for CPU pods still initialising (see isCpuUnready), are "unready": their samples are
 *    dropped, and only on a scale up are they counted back in, at 0;
 *  - pods without a sample are "missing": counted at 100% of their request (Utilization) or at the target
 *    (plain values) on a scale down, at 0 on a scale up;
 *  - after that rebalancing the ratio is recomputed; if it now falls in the band or points the other way, or the
 *    count would move against the direction, the current count stays.
 * Worked example (target 50%, every pod requesting 100m): 3 ready pods at 90m and 2 Pending pods, current 5.
 * Ratio 90/50 = 1.8 says scale up, so the Pending pods count at 0: 270m/500m = 54%, ratio 1.08, within the 10%
 * band → keep 5. With one Pending pod instead: 270/400 = 67% → 1.34 → ceil(1.34 × 4) = 6.
 */
import { ReplicaCalculationError } from './calculator-types.js';
import type {
  CalculatorOptions,
  CalculatorPod,
  ObjectMetricInput,
  ObjectPerPodMetricInput,
  PlainMetricInput,
  PlainMetricResult,
  PodMetricSample,
  ResourceUtilizationInput,
  ResourceUtilizationResult,
  Tolerances,
} from './calculator-types.js';

/** Kubernetes' default --horizontal-pod-autoscaler-tolerance. */
export const DEFAULT_TOLERANCE = 0.1;
/** Kubernetes' default --horizontal-pod-autoscaler-cpu-initialization-period. */
export const DEFAULT_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** Kubernetes' default --horizontal-pod-autoscaler-initial-readiness-delay. */
export const DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_MS = 30_000;

/** The resource whose samples are distorted by start-up, and so gets the readiness handling. */
const CPU = 'cpu';

export const ERR_NO_PODS = 'no pods returned by selector while calculating replica count';
export const ERR_NO_METRICS = 'did not receive metrics for targeted pods (pods might be unready)';
export const ERR_NO_MATCHING_METRICS = 'no metrics returned matched known pods';

/** Whether a usage ratio is inside the band where no scale happens (Tolerances.isWithin). */
export function isWithinTolerance(ratio: number, t: Tolerances): boolean {
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/**
 * A CPU sample cannot be trusted while the pod starts: without a Ready condition or start time; within the
 * initialisation period when unready or when the sample's window began before the pod became ready; after it,
 * only when the pod is unready and has never been ready (its last transition came within the initial delay).
 */
function isCpuUnready(pod: CalculatorPod, sample: PodMetricSample, opts: CalculatorOptions): boolean {
  const cond = pod.readyCondition;
  if (!cond || pod.startTimeMs === undefined) return true;
  if (pod.startTimeMs + opts.cpuInitializationPeriodMs > opts.nowMs) {
    return cond.status === 'False' || sample.timestampMs < cond.lastTransitionMs + sample.windowMs;
  }
  return cond.status === 'False' && pod.startTimeMs + opts.delayOfInitialReadinessStatusMs > cond.lastTransitionMs;
}

/** Sorts pods into ready (counted), unready, missing and ignored (groupPods). */
function groupPods(pods: readonly CalculatorPod[], metrics: ReadonlyMap<string, PodMetricSample>, resource: string | undefined, opts: CalculatorOptions): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') g.ignored.add(pod.name);
    else if (pod.phase === 'Pending') g.unready.add(pod.name);
    else {
      const sample = metrics.get(pod.name);
      if (!sample) g.missing.add(pod.name);
      else if (resource === CPU && isCpuUnready(pod, sample, opts)) g.unready.add(pod.name);
      else g.readyPodCount++;
    }
  }
  return g;
}

/** The samples left once ignored and unready pods are dropped, as plain values by pod name. */
function usableValues(metrics: ReadonlyMap<string, PodMetricSample>, g: PodGroups): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, s] of metrics) if (!g.ignored.has(name) && !g.unready.has(name)) out.set(name, s.value);
  return out;
}

/** Each pod's request, failing on the first pod with a container that lacks it (calculatePodRequests). */
function podRequests(pods: readonly CalculatorPod[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    if (pod.requestMilli === undefined) {
      throw new ReplicaCalculationError(`missing request for ${resource} in container ${pod.missingRequestContainer ?? ''} of Pod ${pod.name}`);
    }
    out.set(pod.name, pod.requestMilli);
  }
  return out;
}

interface Utilization {
  ratio: number;
  utilization: number;
  rawAverageValue: number;
}

/** Utilization over the pods with a known request (GetResourceUtilizationRatio); extra samples are skipped. */
function utilizationRatio(values: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, target: number): Utilization {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, v] of values) {
    const r = requests.get(name);
    if (r === undefined) continue;
    metricsTotal += v;
    requestsTotal += r;
    entries++;
  }
  if (requestsTotal === 0) throw new ReplicaCalculationError(ERR_NO_MATCHING_METRICS);
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverageValue: Math.trunc(metricsTotal / entries) };
}

/** Average per sample against the target (GetMetricUtilizationRatio). */
function averageRatio(values: ReadonlyMap<string, number>, target: number): { ratio: number; average: number } {
  let total = 0;
  for (const v of values.values()) total += v;
  const average = Math.trunc(total / values.size);
  return { ratio: average / target, average };
}

/**
 * The shared tail of both per-pod calculations: with nothing to rebalance, ceil(ratio × ready pods) unless within
 * tolerance; otherwise fill in missing pods (fillMissing) and unready pods (0, scale up only), recompute, and keep the current count if the result is in the band or reverses the direction.
 */
function rebalance(
  current: number,
  ratio: number,
  g: PodGroups,
  values: Map<string, number>,
  fillMissing: (pod: string, ratio: number) => number | undefined,
  recompute: (values: ReadonlyMap<string, number>) => number,
  opts: CalculatorOptions,
): number {
  const rebalanceUnready = g.unready.size > 0 && ratio > 1;
  if (!rebalanceUnready && g.missing.size === 0) {
    return isWithinTolerance(ratio, opts.tolerances) ? current : Math.ceil(ratio * g.readyPodCount);
  }
  for (const pod of g.missing) {
    const v = fillMissing(pod, ratio);
    if (v !== undefined) values.set(pod, v);
  }
  if (rebalanceUnready) for (const pod of g.unready) values.set(pod, 0);
  const newRatio = recompute(values);
  if (isWithinTolerance(newRatio, opts.tolerances) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return current;
  const replicas = Math.ceil(newRatio * values.size);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) return current;
  return replicas;
}

/** Resource metric, Utilization target (GetResourceReplicas). */
export function getResourceReplicas(input: ResourceUtilizationInput, opts: CalculatorOptions): ResourceUtilizationResult {
  if (input.pods.length === 0) throw new ReplicaCalculationError(ERR_NO_PODS);
  const g = groupPods(input.pods, input.metrics, input.resource, opts);
  const values = usableValues(input.metrics, g);
  const requests = podRequests(input.pods, input.resource);
  if (values.size === 0) throw new ReplicaCalculationError(ERR_NO_METRICS);
  const first = utilizationRatio(values, requests, input.targetUtilization);
  const replicas = rebalance(
    input.currentReplicas,
    first.ratio,
    g,
    values,
    // Kubernetes fills missing pods only when the ratio is strictly below or above 1 here.
    (pod, ratio) => (ratio < 1 ? requests.get(pod) : ratio > 1 ? 0 : undefined),
    (v) => utilizationRatio(v, requests, input.targetUtilization).ratio,
    opts,
  );
  return { replicas, utilization: first.utilization, rawAverageValue: first.rawAverageValue };
}

/** Per-pod average against an average target: Resource AverageValue and Pods metrics (calcPlainMetricReplicas). */
function plainMetricReplicas(input: PlainMetricInput, opts: CalculatorOptions): PlainMetricResult {
  if (input.pods.length === 0) throw new ReplicaCalculationError(ERR_NO_PODS);
  const g = groupPods(input.pods, input.metrics, input.resource, opts);
  const values = usableValues(input.metrics, g);
  if (values.size === 0) throw new ReplicaCalculationError(ERR_NO_METRICS);
  const first = averageRatio(values, input.targetAverageValue);
  const replicas = rebalance(
    input.currentReplicas,
    first.ratio,
    g,
    values,
    // ...and here at 0 also for a ratio of exactly 1 (Kubernetes' calcPlainMetricReplicas).
    (_pod, ratio) => (ratio < 1 ? input.targetAverageValue : 0),
    (v) => averageRatio(v, input.targetAverageValue).ratio,
    opts,
  );
  return { replicas, value: first.average };
}

/** Resource metric, AverageValue target (GetRawResourceReplicas); `resource` should be set. */
export function getRawResourceReplicas(input: PlainMetricInput, opts: CalculatorOptions): PlainMetricResult {
  return plainMetricReplicas(input, opts);
}

/** Pods metric, AverageValue target (GetMetricReplicas); readiness never matters for it. */
export function getMetricReplicas(input: PlainMetricInput, opts: CalculatorOptions): PlainMetricResult {
  return plainMetricReplicas({ ...input, resource: undefined }, opts);
}

/** Running pods whose Ready condition is True (getReadyPodsCount). */
function readyPodCount(pods: readonly CalculatorPod[]): number {
  if (pods.length === 0) throw new ReplicaCalculationError(`unable to calculate ready pods: ${ERR_NO_PODS}`);
  return pods.filter((p) => p.phase === 'Running' && p.readyCondition?.status === 'True').length;
}

/**
 * Object metric, Value target (GetObjectMetricReplicas): ratio = value / target, times the ready pods; from zero
 * replicas, ceil(ratio) with no tolerance (so an object metric can bring a target up from 0).
 */
export function getObjectMetricReplicas(input: ObjectMetricInput, opts: CalculatorOptions): PlainMetricResult {
  const ratio = input.value / input.targetValue;
  if (input.currentReplicas === 0) return { replicas: Math.ceil(ratio), value: input.value };
  if (isWithinTolerance(ratio, opts.tolerances)) return { replicas: input.currentReplicas, value: input.value };
  return { replicas: Math.ceil(ratio * readyPodCount(input.pods)), value: input.value };
}

/**
 * Object metric, AverageValue target (GetObjectPerPodMetricReplicas): the object's value shared over the current
 * replicas. With statusReplicas 0 Kubernetes divides by zero; here the reported average is then the whole value.
 */
export function getObjectPerPodMetricReplicas(input: ObjectPerPodMetricInput, opts: CalculatorOptions): PlainMetricResult {
  const ratio = input.value / (input.targetAverageValue * input.statusReplicas);
  const replicas = isWithinTolerance(ratio, opts.tolerances) ? input.statusReplicas : Math.ceil(input.value / input.targetAverageValue);
  return { replicas, value: Math.ceil(input.value / Math.max(input.statusReplicas, 1)) };
}
