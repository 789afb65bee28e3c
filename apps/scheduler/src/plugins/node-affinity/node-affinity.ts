// NodeAffinity: the pod's `nodeSelector` and required node affinity must both hold for a node
// (filter); preferred node affinity terms add their weights to the nodes they match (score,
// scaled so the best node gets MAX_NODE_SCORE). Labels change only with the node, so rejections
// are unresolvable and retried on node events. Pods without either skip the filter or the score.
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { defaultNormalize } from '../../framework/normalize.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { compileNodeSelectorMap, compileTerm, compileTerms, type NodeMatcher } from './node-selector.js';

export const NAME = 'NodeAffinity';
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const REJECTED = unresolvable(REASON_AFFINITY);

const requiredKey = new StateKey<readonly NodeMatcher[]>(`${NAME}/required`);
const preferredKey = new StateKey<readonly { weight: number; match: NodeMatcher }[]>(`${NAME}/preferred`);

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(state: CycleState, pod: PodInfo): Status {
    const spec = pod.pod.spec;
    const matchers: NodeMatcher[] = [];
    if (spec?.nodeSelector && Object.keys(spec.nodeSelector).length > 0) matchers.push(compileNodeSelectorMap(spec.nodeSelector));
    const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) matchers.push(compileTerms(required.nodeSelectorTerms));
    if (matchers.length === 0) return SKIP;
    state.write(requiredKey, matchers);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const matchers = state.read(requiredKey) ?? [];
    for (const m of matchers) if (!m(node.labels, node.name)) return REJECTED;
    return SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const terms = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const weighted = terms.filter((t) => t.weight !== 0).map((t) => ({ weight: t.weight, match: compileTerm(t.preference) }));
    if (weighted.length === 0) return SKIP;
    state.write(preferredKey, weighted);
    return SUCCESS;
  }

  /** Raw score: the sum of the weights of the preferred terms the node matches. */
  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    let sum = 0;
    for (const t of state.read(preferredKey) ?? []) if (t.match(node.labels, node.name)) sum += t.weight;
    return sum;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalize(scores, false);
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newNodeAffinity = (): NodeAffinity => new NodeAffinity();
