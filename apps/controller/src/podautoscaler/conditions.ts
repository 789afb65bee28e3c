// The HPA's status conditions (AbleToScale, ScalingActive, ScalingLimited) with Kubernetes'
// reasons and messages that belong to the controller shell; behavior.ts supplies the
// stabilization and limit outcomes. lastTransitionTime moves only when the status flips, as
// Kubernetes' setConditionInList.
import type { Condition } from '@kite/api-types';
import type { ConditionOutcome } from './calculator-types.js';

export const ABLE_TO_SCALE = 'AbleToScale';
export const SCALING_ACTIVE = 'ScalingActive';
export const SCALING_LIMITED = 'ScalingLimited';

/** Reasons (condition and, where Kubernetes records one, Event). */
export const REASON_FAILED_GET_SCALE = 'FailedGetScale';
export const REASON_SUCCEEDED_GET_SCALE = 'SucceededGetScale';
export const REASON_FAILED_UPDATE_SCALE = 'FailedUpdateScale';
export const REASON_SUCCEEDED_RESCALE = 'SucceededRescale';
export const REASON_SCALING_DISABLED = 'ScalingDisabled';
export const REASON_VALID_METRIC_FOUND = 'ValidMetricFound';
/** Events only. */
export const REASON_SUCCESSFUL_RESCALE = 'SuccessfulRescale';
export const REASON_FAILED_RESCALE = 'FailedRescale';
export const REASON_FAILED_COMPUTE_METRICS_REPLICAS = 'FailedComputeMetricsReplicas';

export const failedGetScale = (err: string): ConditionOutcome => ({ status: 'False', reason: REASON_FAILED_GET_SCALE, message: `the HPA controller was unable to get the target's current scale: ${err}` });
export const succeededGetScale: ConditionOutcome = { status: 'True', reason: REASON_SUCCEEDED_GET_SCALE, message: "the HPA controller was able to get the target's current scale" };
export const failedUpdateScale = (err: string): ConditionOutcome => ({ status: 'False', reason: REASON_FAILED_UPDATE_SCALE, message: `the HPA controller was unable to update the target scale: ${err}` });
export const succeededRescale = (n: number): ConditionOutcome => ({ status: 'True', reason: REASON_SUCCEEDED_RESCALE, message: `the HPA controller was able to update the target scale to ${n}` });
export const scalingDisabled: ConditionOutcome = { status: 'False', reason: REASON_SCALING_DISABLED, message: 'scaling is disabled since the replica count of the target is zero' };
export const validMetricFound = (metric: string): ConditionOutcome => ({ status: 'True', reason: REASON_VALID_METRIC_FOUND, message: `the HPA was able to successfully calculate a replica count from ${metric}` });
export const metricFailed = (reason: string, err: string): ConditionOutcome => ({ status: 'False', reason, message: `the HPA was unable to compute the replica count: ${err}` });

/** `conditions` with `type` set to `outcome`; a new array, the input is not changed. */
export function setCondition(conditions: readonly Condition[], type: string, outcome: ConditionOutcome, nowIso: string): Condition[] {
  const old = conditions.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === outcome.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso;
  const next: Condition = { type, status: outcome.status, reason: outcome.reason, message: outcome.message, lastTransitionTime };
  return old ? conditions.map((c) => (c.type === type ? next : c)) : [...conditions, next];
}
