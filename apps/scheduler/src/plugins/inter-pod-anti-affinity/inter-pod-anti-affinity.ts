// InterPodAntiAffinity: required pod anti-affinity, in both directions.
//
// 1. The incoming pod's own terms: it may not land in a topology domain (the nodes sharing the
//    term's topologyKey label value, e.g. one node for kubernetes.io/hostname) that already runs a
//    pod its term selects.
// 2. Existing pods' terms: it may not land in a domain where a pod already there has a term that
//    selects the incoming pod (that pod asked to be alone, and the scheduler keeps its word).
//
// PreFilter walks the cluster once per pod and records the forbidden domains as
// topologyKey → values; Filter then only looks up the node's labels. Nodes without the
// topologyKey label belong to no domain and are never forbidden. Pods with no terms skip the
// filter unless some existing pod has anti-affinity terms.
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { termMatches, type AffinityTerm, type PodInfo } from '../../framework/pod-info.js';
import { asError, SKIP, SUCCESS, unschedulable, type Status } from '../../framework/status.js';

export const NAME = 'InterPodAntiAffinity';
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** The topology key of one node per domain. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** topologyKey → label values of the forbidden domains. */
type Domains = Map<string, Set<string>>;

interface State {
  /** Domains with a pod the incoming pod's terms select. */
  own: Domains;
  /** Domains whose pods' terms select the incoming pod. */
  existing: Domains;
}

const stateKey = new StateKey<State>(NAME);
const REJECTED_OWN = unschedulable(REASON_ANTI_AFFINITY);
const REJECTED_EXISTING = unschedulable(REASON_EXISTING_ANTI_AFFINITY);

export class InterPodAntiAffinity implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: PodInfo): Status {
    if (pod.affinityError !== undefined) return asError(new Error(`invalid pod anti-affinity: ${pod.affinityError}`));
    const withTerms = this.handle.nodesWithRequiredAntiAffinity();
    if (pod.requiredAntiAffinity.length === 0 && withTerms.length === 0) return SKIP;
    const s: State = {
      own: pod.requiredAntiAffinity.length === 0 ? new Map() : ownDomains(pod, this.handle.nodeInfos()),
      existing: existingDomains(pod, withTerms),
    };
    if (s.own.size === 0 && s.existing.size === 0) return SKIP;
    state.write(stateKey, s);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const s = state.read(stateKey);
    if (!s) return SUCCESS;
    if (inDomains(s.own, node)) return REJECTED_OWN;
    if (inDomains(s.existing, node)) return REJECTED_EXISTING;
    return SUCCESS;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.AssignedPodDelete, ClusterEvent.AssignedPodUpdate, ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

function addDomain(domains: Domains, key: string, value: string): void {
  let values = domains.get(key);
  if (!values) domains.set(key, (values = new Set()));
  values.add(value);
}

function ownDomains(pod: PodInfo, nodes: readonly NodeInfo[]): Domains {
  const out: Domains = new Map();
  for (const node of nodes) {
    for (const term of pod.requiredAntiAffinity) {
      const value = node.labels[term.topologyKey];
      if (value === undefined || out.get(term.topologyKey)?.has(value)) continue;
      if (anyPodMatches(term, node, pod.key)) addDomain(out, term.topologyKey, value);
    }
  }
  return out;
}

function anyPodMatches(term: AffinityTerm, node: NodeInfo, self: string): boolean {
  for (const other of node.pods.values()) if (other.key !== self && termMatches(term, other.pod)) return true;
  return false;
}

function existingDomains(pod: PodInfo, nodes: readonly NodeInfo[]): Domains {
  const out: Domains = new Map();
  for (const node of nodes) {
    for (const other of node.podsWithRequiredAntiAffinity.values()) {
      if (other.key === pod.key) continue;
      for (const term of other.requiredAntiAffinity) {
        const value = node.labels[term.topologyKey];
        if (value !== undefined && termMatches(term, pod.pod)) addDomain(out, term.topologyKey, value);
      }
    }
  }
  return out;
}

function inDomains(domains: Domains, node: NodeInfo): boolean {
  for (const [key, values] of domains) {
    const value = node.labels[key];
    if (value !== undefined && values.has(value)) return true;
  }
  return false;
}

export const newInterPodAntiAffinity = (handle: Handle): InterPodAntiAffinity => new InterPodAntiAffinity(handle);
