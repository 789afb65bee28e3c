// Which nodes a DaemonSet's pod belongs on (pure; table-tested in test/unit/daemon/).
//
// As Kubernetes' NodeShouldRunDaemonPod (since 1.12, when the scheduler took over placement):
//   shouldRun             the pod fits the node: nodeSelector, required node affinity, and every
//                         NoSchedule/NoExecute taint tolerated (with the default DaemonSet
//                         tolerations added, tolerations.ts). `spec.unschedulable` is ignored:
//                         daemon pods tolerate node.kubernetes.io/unschedulable.
//   shouldContinueRunning a pod already there may stay: selector and affinity still hold and
//                         no NoExecute taint is untolerated (a new NoSchedule taint keeps no
//                         running pod off its node).
// Node affinity terms are compiled to label selectors of @kite/apimachinery (Gt/Lt included), so
// the controller and the scheduler read `In`, `NotIn`, `Exists`... the same way; matchFields
// knows `metadata.name`.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint } from '@kite/api-types';
import { requirement, selectorFromRequirements, type LabelOperator, type Requirement } from '@kite/apimachinery';
import type { DeepReadonly } from '@kite/client';
import { tolerates } from '../nodelifecycle/taints.js';
import { withDaemonTolerations } from './tolerations.js';

export interface NodeFit {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

type ReadonlyNode = DeepReadonly<Node>;
type ReadonlyTerm = DeepReadonly<NodeSelectorTerm>;

/** The one field a node selector term's matchFields may name. */
export const NODE_NAME_FIELD = 'metadata.name';

const OPERATORS: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

function toRequirement(r: DeepReadonly<NodeSelectorRequirement>): Requirement | undefined {
  const op = OPERATORS[r.operator];
  if (!op) return undefined;
  try {
    return requirement(r.key, op, r.values ?? []);
  } catch {
    // A malformed requirement (validation lets few through) matches no node.
    return undefined;
  }
}

/** Whether a node selector term holds for the node; a term without requirements holds for none. */
export function termMatches(term: ReadonlyTerm, node: ReadonlyNode): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labelReqs = exprs.map(toRequirement);
  const fieldReqs = fields.map((f) => (f.key === NODE_NAME_FIELD ? toRequirement(f) : undefined));
  if (labelReqs.includes(undefined) || fieldReqs.includes(undefined)) return false;
  const labelsOk = selectorFromRequirements(labelReqs as Requirement[]).matches(node.metadata.labels ?? {});
  return labelsOk && selectorFromRequirements(fieldReqs as Requirement[]).matches({ [NODE_NAME_FIELD]: node.metadata.name ?? '' });
}

/** nodeSelector (every label equal) and required node affinity (any term) both hold. */
export function fitsNodeAffinity(spec: DeepReadonly<PodSpec> | undefined, node: ReadonlyNode): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return required.nodeSelectorTerms.some((t) => termMatches(t, node));
}

function untolerated(spec: DeepReadonly<PodSpec>, taints: readonly DeepReadonly<Taint>[], effects: readonly string[]): boolean {
  const tolerations = spec.tolerations ?? [];
  return taints.some((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

/** Whether the DaemonSet pod with this template spec should run (or keep running) on `node`. */
export function nodeShouldRunDaemonPod(templateSpec: DeepReadonly<PodSpec> | undefined, node: ReadonlyNode): NodeFit {
  const spec = withDaemonTolerations(templateSpec);
  const pinned = spec.nodeName;
  if ((pinned && pinned !== node.metadata.name) || !fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  return {
    shouldRun: !untolerated(spec, taints, ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: !untolerated(spec, taints, ['NoExecute']),
  };
}
