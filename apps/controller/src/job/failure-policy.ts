// podFailurePolicy matching, as Kubernetes' matchPodFailurePolicy: the first rule that matches a
// failed pod decides what its failure means.
//
// Contract:
// - Rules are tried in order; the first match wins; no match means Count (the default).
// - onExitCodes matches when some terminated container (init containers too; only the named one
//   when containerName is set) exited with a non-zero code that is In / NotIn the values. Exit
//   code 0 never matches.
// - onPodConditions matches when the pod has a condition of that type with that status (default
//   "True"), e.g. DisruptionTarget for a pod evicted or preempted.
// - The message is Kubernetes' own, shown in the Job's Failed condition for FailJob.
import type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyRule } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { ReadonlyPod } from '../framework/pods.js';

export interface PolicyMatch {
  action: PodFailurePolicyAction;
  ruleIndex: number;
  message: string;
}

type Rule = DeepReadonly<PodFailurePolicyRule>;

/** The rule that decides about a failed `pod`, or undefined when none matches (count it). */
export function matchPodFailurePolicy(policy: DeepReadonly<PodFailurePolicy> | undefined, pod: ReadonlyPod): PolicyMatch | undefined {
  const rules = policy?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule) continue;
    const what = rule.onExitCodes ? matchExitCodes(rule, pod) : matchConditions(rule, pod);
    if (what !== undefined) return { action: rule.action, ruleIndex: i, message: `${what} matching ${rule.action} rule at index ${i}` };
  }
  return undefined;
}

/** "Container C for pod NS/NAME failed with exit code N" for the first container that matches. */
function matchExitCodes(rule: Rule, pod: ReadonlyPod): string | undefined {
  const req = rule.onExitCodes;
  if (!req) return undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const code = s.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.containerName !== undefined && req.containerName !== s.name) continue;
    const listed = req.values.includes(code);
    if (req.operator === 'In' ? listed : !listed) {
      return `Container ${s.name} for pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} failed with exit code ${code}`;
    }
  }
  return undefined;
}

/** "Pod NS/NAME has condition T" when a pattern matches. */
function matchConditions(rule: Rule, pod: ReadonlyPod): string | undefined {
  for (const pattern of rule.onPodConditions ?? []) {
    const want = pattern.status ?? 'True';
    if ((pod.status?.conditions ?? []).some((c) => c.type === pattern.type && c.status === want)) {
      return `Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} has condition ${pattern.type}`;
    }
  }
  return undefined;
}
