// The plugin interfaces: one small interface per extension point, as kube-scheduler has them.
// A plugin implements any subset; the profile decides where it is enabled.
//
// Order in one scheduling cycle (one pod):
//   PreFilter (once)  → Filter (per node, until enough feasible nodes are found)
//   PreScore (once, over feasible nodes) → Score (per feasible node) → NormalizeScore (once)
//   Reserve (chosen node, synchronous with the cycle) → PreBind (async, before the binding);
//   Unreserve when PreBind or the binding fails, so what Reserve set aside is released.
// Plugins never throw on purpose: they return a Status (see status.ts). An exception is turned
// into an Error status by the framework.
import type { CycleState } from './cycle-state.js';
import type { ClusterEvent } from './events.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Status } from './status.js';
import type { ServiceObj } from './types.js';
import type { VolumeAccess } from './volumes.js';

/** The best score a Score plugin may give; normalised scores lie in [0, MAX_NODE_SCORE]. */
export const MAX_NODE_SCORE = 100;

export interface Plugin {
  readonly name: string;
}

/**
 * Runs once per pod before filtering. Computes what Filter needs (into CycleState) and may answer
 * Skip ("nothing to filter for this pod": Filter is not called this cycle) or reject the pod
 * outright (every node then carries this status).
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo): Status;
}

/** Decides whether `pod` may run on `node`: Success, or a rejection with its reasons. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
}

/** Runs once per pod over the feasible nodes, before scoring; Skip leaves Score out this cycle. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
}

/**
 * Ranks a feasible node. `score` returns a raw number; without `normalizeScore` it must already
 * lie in [0, MAX_NODE_SCORE]. `normalizeScore` rewrites the raw scores of all feasible nodes (in
 * the order given to Score) into that range, e.g. "fewest matching pods is best".
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: Float64Array): void;
}

/**
 * Sets aside what the chosen node needs (in memory, so the next pods see it) before the cycle
 * ends. `unreserve` undoes it and must be idempotent: it runs whenever a later step fails.
 */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/**
 * Runs after the cycle, before the pod is bound, and may wait (volumes being provisioned and
 * bound). A non-success status cancels the binding: the pod is unreserved and retried.
 */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status>;
}

/** The cluster events that may turn this plugin's rejections into a fit (see events.ts). */
export interface EnqueueExtensions {
  events(): readonly ClusterEvent[];
}

/** What plugins may read besides the pod and node they are given: the rest of the cluster. */
export interface Handle {
  /** Every node the scheduler knows, with its pods (bound and assumed). */
  nodeInfos(): readonly NodeInfo[];
  /** Nodes hosting at least one pod with required anti-affinity. */
  nodesWithRequiredAntiAffinity(): readonly NodeInfo[];
  /** Services of a namespace, to find the ones selecting a pod. */
  servicesIn(namespace: string): readonly ServiceObj[];
  /** Claims, volumes and classes, and the writes volume binding makes; absent in pure tests. */
  volumes?: VolumeAccess;
  /** The handler of a RuntimeClass, by the class's name; absent in pure tests (then name = handler). */
  runtimeHandler?: (className: string) => string | undefined;
}

export type PluginFactory = (handle: Handle) => Plugin;

export const isPreFilter = (p: Plugin): p is PreFilterPlugin => typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as Partial<FilterPlugin>).filter === 'function';
export const isPreScore = (p: Plugin): p is PreScorePlugin => typeof (p as Partial<PreScorePlugin>).preScore === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as Partial<ScorePlugin>).score === 'function';
export const isReserve = (p: Plugin): p is ReservePlugin => typeof (p as Partial<ReservePlugin>).reserve === 'function';
export const isPreBind = (p: Plugin): p is PreBindPlugin => typeof (p as Partial<PreBindPlugin>).preBind === 'function';
export const hasEvents = (p: Plugin): p is Plugin & EnqueueExtensions => typeof (p as Partial<EnqueueExtensions>).events === 'function';
