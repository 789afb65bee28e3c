// SelectorSpread: spreads the pods of one workload across nodes. A pod's peers are the pods with
// the same controlling owner (ownerReferences[controller=true], e.g. its ReplicaSet) and the pods
// of its namespace selected by a Service that selects it. Fewer peers on a node is better:
//   raw score = peers on the node;  normalised = (max - raw) / max * 100 (all 100 when max is 0)
// Worked example: peers per node [0, 1, 2] → [100, 50, 0].
// Peers by owner come from a per-node counter (O(1)); peers by Service need a walk over the
// node's pods, done only for pods that a Service selects. Pods with neither skip the score.
import type { Selector } from '@kite/apimachinery';
import { selectorFromSet } from '@kite/apimachinery';
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import type { Handle, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { defaultNormalize } from '../../framework/normalize.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP, SUCCESS, type Status } from '../../framework/status.js';
import type { ServiceObj } from '../../framework/types.js';

export const NAME = 'SelectorSpread';

interface Peers {
  controllerUid: string | undefined;
  /** Selectors of the Services selecting the pod. */
  services: readonly Selector[];
}

const stateKey = new StateKey<Peers>(NAME);

/** Memoised per Service object: its selector, or undefined when it selects no pods. */
const selectorMemo = new WeakMap<ServiceObj, Selector | null>();

function serviceSelector(svc: ServiceObj): Selector | null {
  let sel = selectorMemo.get(svc);
  if (sel === undefined) {
    const raw = svc.spec?.selector;
    sel = raw && Object.keys(raw).length > 0 ? selectorFromSet(raw) : null;
    selectorMemo.set(svc, sel);
  }
  return sel;
}

export class SelectorSpread implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preScore(state: CycleState, pod: PodInfo): Status {
    const labels = pod.pod.metadata.labels;
    const services: Selector[] = [];
    if (labels) {
      for (const svc of this.handle.servicesIn(pod.namespace)) {
        const sel = serviceSelector(svc);
        if (sel?.matches(labels)) services.push(sel);
      }
    }
    if (pod.controllerUid === undefined && services.length === 0) return SKIP;
    state.write(stateKey, { controllerUid: pod.controllerUid, services });
    return SUCCESS;
  }

  /** Raw score: the number of the pod's peers already on the node. */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const peers = state.read(stateKey);
    if (!peers) return 0;
    if (peers.services.length === 0) return peers.controllerUid === undefined ? 0 : (node.controllerCounts.get(peers.controllerUid) ?? 0);
    let n = 0;
    for (const other of node.pods.values()) {
      if (other.key === pod.key || other.namespace !== pod.namespace) continue;
      if (isPeer(peers, other)) n++;
    }
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalize(scores, true);
  }
}

function isPeer(peers: Peers, other: PodInfo): boolean {
  if (peers.controllerUid !== undefined && other.controllerUid === peers.controllerUid) return true;
  const labels = other.pod.metadata.labels;
  if (!labels) return false;
  for (const sel of peers.services) if (sel.matches(labels)) return true;
  return false;
}

export const newSelectorSpread = (handle: Handle): SelectorSpread => new SelectorSpread(handle);
