// The `autoscaling.alpha.kubernetes.io/behavior` annotation of an autoscaling/v1 HPA: the v2
// `spec.behavior` that v1 cannot express. Kubernetes writes it by marshalling its *internal* Go type,
// which has no json tags (conversion.go carries a TODO about it), so the keys are Go's field names
// and absent pointers are `null`:
//   {"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}]},"ScaleDown":null}
// Go's decoder matches keys case-insensitively, so this reader does too. `Tolerance` (Kubernetes
// 1.33) is written only when set, so the annotation reads as v1.32 wrote it otherwise.
import type { HorizontalPodAutoscalerBehavior, HPAScalingPolicy, HPAScalingRules } from './horizontalpodautoscaler.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field looked up as `encoding/json` matches keys: exactly, else ignoring case. */
function field(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function rulesToGo(r: HPAScalingRules | undefined): Json | null {
  if (!r) return null;
  const policies = r.policies?.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) ?? null;
  return {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: policies,
    ...(r.tolerance !== undefined ? { Tolerance: r.tolerance } : {}),
  };
}

/** The annotation's value for `behavior`. */
export function encodeBehaviorAnnotation(behavior: HorizontalPodAutoscalerBehavior): string {
  return JSON.stringify({ ScaleUp: rulesToGo(behavior.scaleUp), ScaleDown: rulesToGo(behavior.scaleDown) });
}

function policyFromGo(p: unknown): HPAScalingPolicy {
  const o = isObject(p) ? p : {};
  return { type: field(o, 'Type') as HPAScalingPolicy['type'], value: field(o, 'Value') as number, periodSeconds: field(o, 'PeriodSeconds') as number };
}

function rulesFromGo(v: unknown): HPAScalingRules | undefined {
  if (!isObject(v)) return undefined;
  const out: HPAScalingRules = {};
  const window = field(v, 'StabilizationWindowSeconds');
  const select = field(v, 'SelectPolicy');
  const policies = field(v, 'Policies');
  const tolerance = field(v, 'Tolerance');
  if (window !== undefined && window !== null) out.stabilizationWindowSeconds = window as number;
  if (select !== undefined && select !== null) out.selectPolicy = select as HPAScalingRules['selectPolicy'];
  if (Array.isArray(policies)) out.policies = policies.map(policyFromGo);
  if (tolerance !== undefined && tolerance !== null) out.tolerance = tolerance as string;
  return out;
}

/**
 * The behavior an annotation holds; undefined when it does not parse or holds neither direction
 * (Kubernetes then leaves `spec.behavior` unset). Wrongly typed values pass through, for
 * validation at autoscaling/v2 to name.
 */
export function decodeBehaviorAnnotation(raw: string): HorizontalPodAutoscalerBehavior | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const scaleUp = rulesFromGo(field(parsed, 'ScaleUp'));
  const scaleDown = rulesFromGo(field(parsed, 'ScaleDown'));
  if (!scaleUp && !scaleDown) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}
