// policy/v1 PodDisruptionBudget: how many of the pods a selector picks may be down at once by
// voluntary disruption (evictions through `pods/NAME/eviction`, which `kubectl drain` uses). The
// disruption controller keeps `status` (expectedPods, currentHealthy, desiredHealthy,
// disruptionsAllowed); the eviction subresource spends `disruptionsAllowed` and notes each pod it
// is about to delete in `status.disruptedPods`. Validation as Kubernetes' ValidatePodDisruptionBudget:
// minAvailable and maxUnavailable are mutually exclusive, each a non-negative integer or a
// percentage of at most 100%.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { IntOrString, KeyedList, OptInt, StringEnum } from '../schema.js';
import { percentOf } from '../intstr.js';
import { invalid, notSupported } from '../validation/causes.js';
import { validateLabelSelector, validateNonNegative } from '../validation/fields.js';

/** How pods that are not Ready may be evicted (Kubernetes' UnhealthyPodEvictionPolicyType). */
export const UNHEALTHY_POD_EVICTION_POLICIES = ['IfHealthyBudget', 'AlwaysAllow'] as const;
export type UnhealthyPodEvictionPolicy = (typeof UNHEALTHY_POD_EVICTION_POLICIES)[number];

/** The condition the disruption controller keeps, and its reasons (policy/v1 constants). */
export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const PDB_REASONS = {
  SufficientPods: 'SufficientPods',
  InsufficientPods: 'InsufficientPods',
  SyncFailed: 'SyncFailed',
} as const;

/** The StatusCause type of a 429 from the eviction subresource (policyv1.DisruptionBudgetCause). */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

export const PodDisruptionBudgetSpec = Type.Object(
  {
    minAvailable: Type.Optional(IntOrString('Pods that must stay available after an eviction: a number or a percentage. Mutually exclusive with maxUnavailable.')),
    maxUnavailable: Type.Optional(IntOrString('Pods that may be unavailable after an eviction: a number or a percentage. Mutually exclusive with minAvailable.')),
    selector: Type.Optional(LabelSelector),
    unhealthyPodEvictionPolicy: Type.Optional(
      StringEnum(UNHEALTHY_POD_EVICTION_POLICIES, { description: 'When pods that are not Ready may be evicted: IfHealthyBudget (default) or AlwaysAllow.' }),
    ),
  },
  { description: 'The desired state of a PodDisruptionBudget.' },
);
export type PodDisruptionBudgetSpec = Static<typeof PodDisruptionBudgetSpec>;

export const PodDisruptionBudgetStatus = Type.Object(
  {
    observedGeneration: OptInt('The generation this status was computed for.'),
    disruptedPods: Type.Optional(
      Type.Record(Type.String(), Type.String({ format: 'date-time' }), { description: 'Pods the eviction subresource is deleting, with the time of the eviction; the controller drops entries after 2 minutes.' }),
    ),
    disruptionsAllowed: OptInt('Evictions allowed now.'),
    currentHealthy: OptInt('Healthy (Ready) pods.'),
    desiredHealthy: OptInt('Healthy pods the budget asks for.'),
    expectedPods: OptInt('Pods the budget counts (from the pods, or their controllers\' scale for percentages).'),
    conditions: Type.Optional(KeyedList(Condition, 'type')),
  },
  { description: 'The observed state of a PodDisruptionBudget.' },
);
export type PodDisruptionBudgetStatus = Static<typeof PodDisruptionBudgetStatus>;

export const PodDisruptionBudget = kindSchema(
  'policy/v1',
  'PodDisruptionBudget',
  PodDisruptionBudgetSpec,
  PodDisruptionBudgetStatus,
  'Limits how many pods of a collection voluntary disruptions may take down at once.',
);
export type PodDisruptionBudget = Static<typeof PodDisruptionBudget>;

/**
 * The budget's conditions with DisruptionAllowed set for `allowed` disruptions (Kubernetes'
 * pdbhelper.UpdateDisruptionAllowedCondition): True/SufficientPods above 0, else
 * False/InsufficientPods. The transition time moves only when the status flips.
 */
export function withDisruptionAllowed(conditions: readonly Condition[], allowed: number, observedGeneration: number | undefined, at: string): Condition[] {
  const ok = allowed > 0;
  return withDisruptionCondition(conditions, ok ? 'True' : 'False', ok ? PDB_REASONS.SufficientPods : PDB_REASONS.InsufficientPods, '', observedGeneration, at);
}

/** The budget's conditions with DisruptionAllowed set as given (SyncFailed carries the error as its message). */
export function withDisruptionCondition(conditions: readonly Condition[], status: 'True' | 'False', reason: string, message: string, observedGeneration: number | undefined, at: string): Condition[] {
  const old = conditions.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  const next: Condition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status,
    reason,
    message,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : at,
  };
  return [...conditions.filter((c) => c.type !== DISRUPTION_ALLOWED_CONDITION), next];
}

const PERCENT_RE = /^[0-9]+%$/;

/** Kubernetes' ValidatePositiveIntOrPercent and IsNotMoreThan100Percent, with their messages. */
function validateIntOrPercent(v: number | string | undefined, field: string): StatusCause[] {
  if (v === undefined) return [];
  if (typeof v === 'string') {
    if (!PERCENT_RE.test(v)) return [invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if ((percentOf(v) ?? 0) > 100) return [invalid(field, v, 'must not be greater than 100%')];
    return [];
  }
  return validateNonNegative(v, field);
}

function validateStatus(s: PodDisruptionBudgetStatus | undefined): StatusCause[] {
  if (!s) return [];
  return [
    ...validateNonNegative(s.disruptionsAllowed, 'status.disruptionsAllowed'),
    ...validateNonNegative(s.currentHealthy, 'status.currentHealthy'),
    ...validateNonNegative(s.desiredHealthy, 'status.desiredHealthy'),
    ...validateNonNegative(s.expectedPods, 'status.expectedPods'),
  ];
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): StatusCause[] {
  const spec = pdb.spec ?? {};
  const out: StatusCause[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) out.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  out.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  out.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy)) {
    out.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  out.push(...validateStatus(pdb.status));
  return out;
}

export const PodDisruptionBudgetResource = defineResource<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  shortNames: ['pdb'],
  namespaced: true,
  schema: PodDisruptionBudget,
  status: true,
  validate: validatePodDisruptionBudget,
});
