// TaintToleration: a pod may not go to a node with a NoSchedule or NoExecute taint it does not
// tolerate (filter), and prefers nodes with fewer untolerated PreferNoSchedule taints (score).
// The rejection names the first untolerated taint, `{key: value}`, as Kubernetes does; a taint
// cannot go away by moving pods, so the rejection is unresolvable.
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import { defaultNormalize } from '../../framework/normalize.js';
import type { EnqueueExtensions, FilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { toleratedBy, type TolerationObj } from './tolerations.js';

export const NAME = 'TaintToleration';

const NO_TOLERATIONS: readonly TolerationObj[] = [];
/** The PreferNoSchedule-relevant tolerations of the pod, computed once per cycle. */
const preferKey = new StateKey<readonly TolerationObj[]>(`${NAME}/prefer`);

export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (node.taints.length === 0) return SUCCESS;
    const tolerations = pod.pod.spec?.tolerations ?? NO_TOLERATIONS;
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!toleratedBy(tolerations, taint)) return unresolvable(untoleratedTaintReason(taint.key, taint.value));
    }
    return SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    if (!nodes.some((n) => n.hasPreferNoSchedule)) return SKIP;
    const all = pod.pod.spec?.tolerations ?? NO_TOLERATIONS;
    state.write(preferKey, all.filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return SUCCESS;
  }

  /** Raw score: the number of untolerated PreferNoSchedule taints (fewer is better). */
  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const tolerations = state.read(preferKey) ?? NO_TOLERATIONS;
    if (!node.hasPreferNoSchedule) return 0;
    let n = 0;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !toleratedBy(tolerations, taint)) n++;
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalize(scores, true);
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newTaintToleration = (): TaintToleration => new TaintToleration();
