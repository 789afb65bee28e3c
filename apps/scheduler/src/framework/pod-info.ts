// PodInfo: what the scheduler derives from a pod once, so filters and scores that run for every
// node (hundreds of times per pod) only read precomputed numbers and compiled selectors.
//
// Pods from the informer are immutable (an update brings a new object), so the derivation is
// memoised per object identity in a WeakMap: the cache and the queue share one PodInfo per pod
// version, and it is collected together with the object.
import type { LabelSelector } from '@kite/api-types';
import { selectorFromLabelSelector, type Selector } from '@kite/apimachinery';
import type { DeepReadonly } from '@kite/client';
import { podHostPorts, type HostPort } from './host-ports.js';
import { computePodRequests, type NonZero, type Resources } from './resources.js';
import { podKey, type PodObj } from './types.js';

/** A compiled pod (anti-)affinity term: pods matching `selector` in `namespaces` on a domain of `topologyKey`. */
export interface AffinityTerm {
  readonly selector: Selector;
  /** Namespaces the term looks at; `null` means all namespaces. */
  readonly namespaces: ReadonlySet<string> | null;
  readonly topologyKey: string;
}

export interface PodInfo {
  readonly pod: PodObj;
  readonly key: string;
  readonly namespace: string;
  readonly requests: Resources;
  readonly nonZero: NonZero;
  readonly hostPorts: readonly HostPort[];
  /** Required anti-affinity terms, compiled; empty for most pods. */
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  /** Why a term could not be compiled (a bad selector); such a pod cannot be scheduled. */
  readonly affinityError: string | undefined;
  /** UID of the controlling owner (ReplicaSet, Job, ...), the unit spreading works on. */
  readonly controllerUid: string | undefined;
}

const memo = new WeakMap<PodObj, PodInfo>();

export function podInfoFor(pod: PodObj): PodInfo {
  let info = memo.get(pod);
  if (!info) memo.set(pod, (info = buildPodInfo(pod)));
  return info;
}

function buildPodInfo(pod: PodObj): PodInfo {
  const { requests, nonZero } = computePodRequests(pod.spec);
  const namespace = pod.metadata.namespace ?? '';
  let requiredAntiAffinity: AffinityTerm[] = [];
  let affinityError: string | undefined;
  try {
    const terms = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    requiredAntiAffinity = terms.map((t) => compileAffinityTerm(t, namespace));
  } catch (err) {
    affinityError = err instanceof Error ? err.message : String(err);
  }
  return {
    pod,
    key: podKey(pod),
    namespace,
    requests,
    nonZero,
    hostPorts: podHostPorts(pod.spec),
    requiredAntiAffinity,
    affinityError,
    controllerUid: pod.metadata.ownerReferences?.find((o) => o.controller)?.uid,
  };
}

interface AffinityTermSpec {
  readonly labelSelector?: DeepReadonly<LabelSelector>;
  readonly namespaceSelector?: DeepReadonly<LabelSelector>;
  readonly namespaces?: readonly string[];
  readonly topologyKey: string;
}

/**
 * Namespaces as Kubernetes resolves them: the listed ones; all of them for an empty
 * namespaceSelector; the pod's own when neither is given. A non-empty namespaceSelector needs
 * namespace labels, which this scheduler does not watch: it then counts as "all namespaces"
 * (stricter for anti-affinity, never looser).
 */
export function compileAffinityTerm(term: AffinityTermSpec, ownNamespace: string): AffinityTerm {
  const selector = selectorFromLabelSelector(term.labelSelector as LabelSelector | undefined);
  let namespaces: Set<string> | null = new Set(term.namespaces ?? []);
  if (term.namespaceSelector) namespaces = null;
  else if (namespaces.size === 0) namespaces.add(ownNamespace);
  return { selector, namespaces, topologyKey: term.topologyKey };
}

/** Whether `term` (of a pod in some namespace) selects `pod`. */
export function termMatches(term: AffinityTerm, pod: PodObj): boolean {
  if (term.namespaces && !term.namespaces.has(pod.metadata.namespace ?? '')) return false;
  return term.selector.matches(pod.metadata.labels);
}
