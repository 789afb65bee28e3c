/**
 * From a metric proposal to the replica count to set, as Kubernetes' horizontal.go normalizes it: first
 * stabilization (remembered recommendations hold the count against flapping), then the rate limits and
 * [min, max]. Pure: the shell keeps the ScaleHistory per HPA and passes it back in on the next sync.
 *
 * Two paths, as in Kubernetes:
 *  - no spec.behavior (normalizeDesiredReplicas): the highest recommendation of the downscale-stabilization
 *    window wins; scale up at most to max(2 × current, 4);
 *  - spec.behavior (normalizeDesiredReplicasWithBehaviors): the count stays between the lowest recommendation of
 *    the scale-up window and the highest of the scale-down window; each direction's policies bound the change per
 *    period, counting the changes already made in that period (scale events), Max picking the largest allowed
 *    change, Min the smallest, Disabled none (the limit is then the current count: ScaleUpLimit / ScaleDownLimit).
 * Worked example: current 10, scale-down policies Pods 2 / 60 s and Percent 10 / 60 s with selectPolicy Max, one
 * scale down by 1 pod 30 s ago: the period started at 11 → Pods allows 9, Percent allows trunc(11 × 0.9) = 9, so a
 * proposal of 5 becomes 9 (ScalingLimited True, ScaleDownLimit).
 */
import type {
  BehaviorSpec,
  ConditionOutcome,
  NormalizeInput,
  NormalizeResult,
  ResolvedBehavior,
  ResolvedPolicy,
  ResolvedScalingRules,
  ScaleEvent,
  ScaleHistory,
  ScaleRecommendation,
} from './calculator-types.js';

/** Kubernetes' default --horizontal-pod-autoscaler-downscale-stabilization. */
export const DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_MS = 5 * 60_000;
/** Without behavior, scale up to at most this factor of the current count... */
const SCALE_UP_LIMIT_FACTOR = 2;
/** ...or this many replicas, whichever is larger (guards against bogus usage spikes, kubernetes#32304). */
const SCALE_UP_LIMIT_MINIMUM = 4;

/** Kubernetes' default scale-up rules: no window, up to 4 pods or 100% per 15 s, whichever is more. */
const DEFAULT_SCALE_UP_POLICIES: readonly ResolvedPolicy[] = [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
/** Kubernetes' default scale-down rule: up to 100% per 15 s. */
const DEFAULT_SCALE_DOWN_POLICIES: readonly ResolvedPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

export const REASON_SCALE_UP_STABILIZED = 'ScaleUpStabilized';
export const REASON_SCALE_DOWN_STABILIZED = 'ScaleDownStabilized';
export const REASON_READY_FOR_NEW_SCALE = 'ReadyForNewScale';
export const REASON_TOO_FEW_REPLICAS = 'TooFewReplicas';
export const REASON_TOO_MANY_REPLICAS = 'TooManyReplicas';
export const REASON_SCALE_UP_LIMIT = 'ScaleUpLimit';
export const REASON_SCALE_DOWN_LIMIT = 'ScaleDownLimit';
export const REASON_DESIRED_WITHIN_RANGE = 'DesiredWithinRange';

const MSG_UP_STABILIZED = 'recent recommendations were lower than current one, applying the lowest recent recommendation';
const MSG_DOWN_STABILIZED = 'recent recommendations were higher than current one, applying the highest recent recommendation';
const MSG_READY = 'recommended size matches current size';
const MSG_TOO_FEW = 'the desired replica count is less than the minimum replica count';
const MSG_TOO_MANY = 'the desired replica count is more than the maximum replica count';
const MSG_UP_LIMIT = 'the desired replica count is increasing faster than the maximum scale rate';
const MSG_DOWN_LIMIT = 'the desired replica count is decreasing faster than the maximum scale rate';
const MSG_WITHIN_RANGE = 'the desired count is within the acceptable range';

/** Kubernetes' behavior defaults; the scale-down window falls back to the controller's flag. */
export function withBehaviorDefaults(b: BehaviorSpec, downscaleStabilizationWindowMs: number): ResolvedBehavior {
  return {
    scaleUp: {
      stabilizationWindowSeconds: b.scaleUp?.stabilizationWindowSeconds ?? 0,
      selectPolicy: b.scaleUp?.selectPolicy ?? 'Max',
      policies: b.scaleUp?.policies ?? DEFAULT_SCALE_UP_POLICIES,
    },
    scaleDown: {
      stabilizationWindowSeconds: b.scaleDown?.stabilizationWindowSeconds ?? Math.round(downscaleStabilizationWindowMs / 1000),
      selectPolicy: b.scaleDown?.selectPolicy ?? 'Max',
      policies: b.scaleDown?.policies ?? DEFAULT_SCALE_DOWN_POLICIES,
    },
  };
}

interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

const within = (replicas: number): Limited => ({ replicas, reason: REASON_DESIRED_WITHIN_RANGE, message: MSG_WITHIN_RANGE });

/** Normalizes a proposal (see the header); dispatches on whether the HPA has a behavior. */
export function normalizeDesiredReplicas(input: NormalizeInput): NormalizeResult {
  const { stabilized, ableToScale, recommendations } = input.behavior ? stabilizeWithBehavior(input, input.behavior) : stabilizeLegacy(input);
  const limited = input.behavior ? limitByBehaviorRate(input, input.behavior, stabilized) : limitByLegacyRules(input, stabilized);
  const scalingLimited: ConditionOutcome = { status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message };
  return { replicas: limited.replicas, ableToScale, scalingLimited, history: { ...input.history, recommendations } };
}

interface Stabilized {
  stabilized: number;
  ableToScale: ConditionOutcome;
  recommendations: ScaleRecommendation[];
}

/** No behavior: the highest recommendation within the downscale window (stabilizeRecommendation). */
function stabilizeLegacy(input: NormalizeInput): Stabilized {
  const cutoff = input.nowMs - input.downscaleStabilizationWindowMs;
  const kept = input.history.recommendations.filter((r) => r.timestampMs >= cutoff);
  const stabilized = Math.max(input.desiredReplicas, ...kept.map((r) => r.replicas));
  const ableToScale: ConditionOutcome =
    stabilized !== input.desiredReplicas
      ? { status: 'True', reason: REASON_SCALE_DOWN_STABILIZED, message: MSG_DOWN_STABILIZED }
      : { status: 'True', reason: REASON_READY_FOR_NEW_SCALE, message: MSG_READY };
  return { stabilized, ableToScale, recommendations: [...kept, { replicas: input.desiredReplicas, timestampMs: input.nowMs }] };
}

/**
 * With behavior (stabilizeRecommendationWithBehaviors): the current count raised to the lowest recommendation of
 * the scale-up window and lowered to the highest of the scale-down window. Recommendations older than both
 * windows are dropped; the new, unstabilized one is kept.
 */
function stabilizeWithBehavior(input: NormalizeInput, spec: BehaviorSpec): Stabilized {
  const b = withBehaviorDefaults(spec, input.downscaleStabilizationWindowMs);
  const upCutoff = input.nowMs - b.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = input.nowMs - b.scaleDown.stabilizationWindowSeconds * 1000;
  let up = input.desiredReplicas;
  let down = input.desiredReplicas;
  for (const r of input.history.recommendations) {
    if (r.timestampMs > upCutoff) up = Math.min(up, r.replicas);
    if (r.timestampMs > downCutoff) down = Math.max(down, r.replicas);
  }
  const stabilized = Math.min(Math.max(input.currentReplicas, up), down);
  const kept = input.history.recommendations.filter((r) => !(r.timestampMs < upCutoff && r.timestampMs < downCutoff));
  const stabilizedReason: ConditionOutcome =
    input.desiredReplicas >= input.currentReplicas
      ? { status: 'True', reason: REASON_SCALE_UP_STABILIZED, message: MSG_UP_STABILIZED }
      : { status: 'True', reason: REASON_SCALE_DOWN_STABILIZED, message: MSG_DOWN_STABILIZED };
  const ableToScale: ConditionOutcome =
    stabilized !== input.desiredReplicas ? stabilizedReason : { status: 'True', reason: REASON_READY_FOR_NEW_SCALE, message: MSG_READY };
  return { stabilized, ableToScale, recommendations: [...kept, { replicas: input.desiredReplicas, timestampMs: input.nowMs }] };
}

/** No behavior: [min, min(max, max(2 × current, 4))] (convertDesiredReplicasWithRules). */
function limitByLegacyRules(input: NormalizeInput, desired: number): Limited {
  const scaleUpLimit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * input.currentReplicas, SCALE_UP_LIMIT_MINIMUM));
  const byRate = input.maxReplicas > scaleUpLimit;
  const maximum = byRate ? scaleUpLimit : input.maxReplicas;
  if (desired < input.minReplicas) return { replicas: input.minReplicas, reason: REASON_TOO_FEW_REPLICAS, message: MSG_TOO_FEW };
  if (desired > maximum) return { replicas: maximum, reason: byRate ? REASON_SCALE_UP_LIMIT : REASON_TOO_MANY_REPLICAS, message: byRate ? MSG_UP_LIMIT : MSG_TOO_MANY };
  return within(desired);
}

/** With behavior: the policies' rate bound, then min/max, per direction (convertDesiredReplicasWithBehaviorRate). */
function limitByBehaviorRate(input: NormalizeInput, spec: BehaviorSpec, desired: number): Limited {
  const b = withBehaviorDefaults(spec, input.downscaleStabilizationWindowMs);
  const { currentReplicas: current, history, nowMs } = input;
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, history, b.scaleUp, nowMs), current);
    const byRate = input.maxReplicas > limit;
    const maximum = byRate ? limit : input.maxReplicas;
    if (desired > maximum) return { replicas: maximum, reason: byRate ? REASON_SCALE_UP_LIMIT : REASON_TOO_MANY_REPLICAS, message: byRate ? MSG_UP_LIMIT : MSG_TOO_MANY };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, history, b.scaleDown, nowMs), current);
    const byRate = input.minReplicas < limit;
    const minimum = byRate ? limit : input.minReplicas;
    if (desired < minimum) return { replicas: minimum, reason: byRate ? REASON_SCALE_DOWN_LIMIT : REASON_TOO_FEW_REPLICAS, message: byRate ? MSG_DOWN_LIMIT : MSG_TOO_FEW };
  }
  return within(desired);
}

/** Replicas changed within the last periodSeconds (getReplicasChangePerPeriod). */
function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestampMs > cutoff ? sum + e.replicaChange : sum), 0);
}

/** The count at the start of a policy's period: current minus what was added, plus what was removed, in it. */
function periodStart(current: number, h: ScaleHistory, p: ResolvedPolicy, nowMs: number): number {
  return current - changeInPeriod(h.scaleUpEvents, p.periodSeconds, nowMs) + changeInPeriod(h.scaleDownEvents, p.periodSeconds, nowMs);
}

/** The most replicas the scale-up policies allow now (calculateScaleUpLimitWithScalingRules). */
export function scaleUpLimit(current: number, h: ScaleHistory, rules: ResolvedScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, h, p, nowMs);
    // Rounded up, or a small Percent would never add a replica.
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** The fewest replicas the scale-down policies allow now (calculateScaleDownLimitWithBehaviors). */
export function scaleDownLimit(current: number, h: ScaleHistory, rules: ResolvedScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, h, p, nowMs);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * Remembers a scale the shell has just made, for the rate policies (storeScaleEvent); events older than the
 * direction's longest policy period are dropped. Without behavior nothing is kept, as in Kubernetes.
 */
export function recordScaleEvent(history: ScaleHistory, behavior: BehaviorSpec | undefined, prevReplicas: number, newReplicas: number, nowMs: number): ScaleHistory {
  if (!behavior || newReplicas === prevReplicas) return history;
  const b = withBehaviorDefaults(behavior, 0);
  const up = newReplicas > prevReplicas;
  const rules = up ? b.scaleUp : b.scaleDown;
  const longestMs = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const events = (up ? history.scaleUpEvents : history.scaleDownEvents).filter((e) => e.timestampMs >= nowMs - longestMs);
  const next = [...events, { replicaChange: Math.abs(newReplicas - prevReplicas), timestampMs: nowMs }];
  return up ? { ...history, scaleUpEvents: next } : { ...history, scaleDownEvents: next };
}
