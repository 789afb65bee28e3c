/**
 * Types shared by the HorizontalPodAutoscaler's pure computation (replica-calculator.ts, behavior.ts,
 * rescale-reason.ts) and the controller shell that calls it. Plain data in, plain data out, no I/O: the shell
 * lists pods from its informer, fetches metrics, and hands both over as these shapes.
 *
 * The logic follows Kubernetes' pkg/controller/podautoscaler (replica_calculator.go, horizontal.go), with its
 * names in parentheses, so its behaviour and messages carry over:
 *
 *   replica-calculator.ts
 *     getResourceReplicas(input: ResourceUtilizationInput, opts): ResourceUtilizationResult        (GetResourceReplicas)
 *     getRawResourceReplicas(input: PlainMetricInput, opts): PlainMetricResult                     (GetRawResourceReplicas)
 *     getMetricReplicas(input: PlainMetricInput, opts): PlainMetricResult                          (GetMetricReplicas)
 *     getObjectMetricReplicas(input: ObjectMetricInput, opts): PlainMetricResult                   (GetObjectMetricReplicas)
 *     getObjectPerPodMetricReplicas(input: ObjectPerPodMetricInput, opts): PlainMetricResult       (GetObjectPerPodMetricReplicas)
 *     each throws ReplicaCalculationError (message = Kubernetes' text) when no count can be computed.
 *
 *   behavior.ts
 *     normalizeDesiredReplicas(input: NormalizeInput): NormalizeResult
 *       (normalizeDesiredReplicas without behavior, normalizeDesiredReplicasWithBehaviors with it)
 *     recordScaleEvent(history: ScaleHistory, behavior, prevReplicas, newReplicas, nowMs): ScaleHistory   (storeScaleEvent)
 *     withBehaviorDefaults(behavior, downscaleStabilizationWindowMs): ResolvedBehavior
 *
 *   rescale-reason.ts
 *     metricDescription(spec: MetricSpec): string        ("cpu resource utilization (percentage of request)", ...)
 *     rescaleReason(current, desired, topMetric): string ("<metric> above target" / "All metrics below target")
 *     rescaleMessage(newSize, reason): string            ("New size: 3; reason: ...", the SuccessfulRescale event)
 *
 * Left to the shell (as in Kubernetes' reconcileAutoscaler): scale.spec.replicas 0 with minReplicas > 0 is
 * "ScalingDisabled" (ScalingActive False, "scaling is disabled since the replica count of the target is zero"); a
 * current count above max / below min goes straight to max / min (reasons CURRENT_ABOVE_MAX / CURRENT_BELOW_MIN in
 * rescale-reason.ts) without calling normalizeDesiredReplicas; the proposal is the max over metrics; a scale event
 * is recorded (recordScaleEvent) only after the scale write succeeded; histories are kept per HPA key in memory.
 */
import type { HorizontalPodAutoscalerBehavior, HPAScalingPolicy, HPAScalingRules } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

/**
 * Why no replica count could be computed; the message is Kubernetes' text (for example "did not receive metrics
 * for targeted pods (pods might be unready)"), which the shell puts into the ScalingActive condition and Event.
 */
export class ReplicaCalculationError extends Error {
  override readonly name = 'ReplicaCalculationError';
}

/** A pod as the calculator sees it (built by the shell from a Pod in its cache). */
export interface CalculatorPod {
  name: string;
  /** status.phase: Pending, Running, Succeeded, Failed or Unknown. */
  phase: string;
  /** metadata.deletionTimestamp is set. */
  deleting: boolean;
  /** The Ready condition, if the pod has one. */
  readyCondition?: { status: 'True' | 'False' | 'Unknown'; lastTransitionMs: number };
  /** status.startTime in ms, if set. */
  startTimeMs?: number;
  /**
   * The pod's request for the resource scaled on, as a milli-value (sum over all containers, or the named
   * container for ContainerResource). Only getResourceReplicas (Utilization) reads it. Leave it undefined and set
   * missingRequestContainer when a container lacks the request.
   */
  requestMilli?: number;
  /** The first container without a request for the resource (gives "missing request for cpu in container web of Pod web-abc"). */
  missingRequestContainer?: string;
}

/** One pod's metric sample (metrics.k8s.io PodMetrics summed over containers, or a custom metric value). */
export interface PodMetricSample {
  timestampMs: number;
  windowMs: number;
  /** Milli-units: CPU millicores, memory milli-bytes (Quantity.MilliValue), custom metrics milli-value. */
  value: number;
}

/** Samples keyed by pod name; pods without a sample are "missing". */
export type PodMetrics = ReadonlyMap<string, PodMetricSample>;

/** Kubernetes' --horizontal-pod-autoscaler-tolerance, per direction (HPAConfigurableTolerance; both 0.1 by default). */
export interface Tolerances {
  scaleUp: number;
  scaleDown: number;
}

/** Controller settings and the clock, as Kubernetes' ReplicaCalculator holds them. */
export interface CalculatorOptions {
  tolerances: Tolerances;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  delayOfInitialReadinessStatusMs: number;
  nowMs: number;
}

/** Resource metric with a Utilization target (percentage of request). */
export interface ResourceUtilizationInput {
  currentReplicas: number;
  /** target.averageUtilization, percent. */
  targetUtilization: number;
  /** "cpu", "memory", ...: only cpu gets the readiness handling. */
  resource: string;
  pods: readonly CalculatorPod[];
  metrics: PodMetrics;
}

export interface ResourceUtilizationResult {
  replicas: number;
  /** Current average utilization, integer percent (status.currentMetrics[].resource.current.averageUtilization). */
  utilization: number;
  /** Current average value per pod, milli-units (current.averageValue). */
  rawAverageValue: number;
}

/** Resource AverageValue or a Pods metric: a per-pod average target (milli-value). */
export interface PlainMetricInput {
  currentReplicas: number;
  /** Target average per pod, milli-units. */
  targetAverageValue: number;
  /** The resource name for Resource metrics (readiness handling for "cpu"); undefined for Pods metrics. */
  resource?: string;
  pods: readonly CalculatorPod[];
  metrics: PodMetrics;
}

export interface PlainMetricResult {
  replicas: number;
  /** The current value reported in status, milli-units (average per pod, or the object's value). */
  value: number;
}

/** Object metric with a Value target. */
export interface ObjectMetricInput {
  currentReplicas: number;
  /** target.value, milli-units. */
  targetValue: number;
  /** The object's current value, milli-units. */
  value: number;
  /** Pods of the target (ready Running pods are counted); unused when currentReplicas is 0. */
  pods: readonly CalculatorPod[];
}

/** Object metric with an AverageValue target. */
export interface ObjectPerPodMetricInput {
  /** hpa.status.currentReplicas. */
  statusReplicas: number;
  /** target.averageValue, milli-units. */
  targetAverageValue: number;
  /** The object's current value, milli-units. */
  value: number;
}

/** A recommendation remembered for stabilization (timestampedRecommendation). */
export interface ScaleRecommendation {
  replicas: number;
  timestampMs: number;
}

/** A scale change remembered for the rate policies (timestampedScaleEvent); replicaChange is positive. */
export interface ScaleEvent {
  replicaChange: number;
  timestampMs: number;
}

/** What the shell keeps per HPA between syncs. Start with emptyHistory(). */
export interface ScaleHistory {
  recommendations: readonly ScaleRecommendation[];
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

export const emptyHistory = (): ScaleHistory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

export type SelectPolicy = NonNullable<HPAScalingRules['selectPolicy']>;
export type ResolvedPolicy = Readonly<HPAScalingPolicy>;

/** One direction of behavior with Kubernetes' defaults filled in. */
export interface ResolvedScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: readonly ResolvedPolicy[];
}

export interface ResolvedBehavior {
  scaleUp: ResolvedScalingRules;
  scaleDown: ResolvedScalingRules;
}

/** The behavior as the HPA spec has it (autoscaling/v2, fields optional; the shell passes spec.behavior). */
export type BehaviorSpec = DeepReadonly<HorizontalPodAutoscalerBehavior>;

export interface NormalizeInput {
  currentReplicas: number;
  /** The proposal: the max over all metrics' replica counts. */
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** spec.behavior; undefined takes Kubernetes' no-behavior path (scale-up limit max(2×current, 4)). */
  behavior?: BehaviorSpec;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min): the scale-down window when behavior does not set one. */
  downscaleStabilizationWindowMs: number;
  history: ScaleHistory;
  nowMs: number;
}

/** A condition outcome for the HPA's status (the shell stamps lastTransitionTime). */
export interface ConditionOutcome {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface NormalizeResult {
  /** The replica count to set on the scale subresource. */
  replicas: number;
  /** AbleToScale (status True): ScaleUpStabilized / ScaleDownStabilized or ReadyForNewScale. */
  ableToScale: ConditionOutcome;
  /** ScalingLimited: True with TooFewReplicas / TooManyReplicas / ScaleUpLimit / ScaleDownLimit, else False DesiredWithinRange. */
  scalingLimited: ConditionOutcome;
  /** The history to keep: recommendations updated and pruned; events unchanged (recordScaleEvent adds those). */
  history: ScaleHistory;
}
