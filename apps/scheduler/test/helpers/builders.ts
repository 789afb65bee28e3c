// Tiny builders for table tests: nodes and pods with just the fields a case is about.
import type { Node, Pod, Taint, Toleration } from '@kite/api-types';
import { SchedulerCache } from '../../src/cache/cache.js';
import { CycleState } from '../../src/framework/cycle-state.js';
import { isFilter, isPreFilter, isPreScore, isScore, type Plugin } from '../../src/framework/interface.js';
import type { NodeInfo } from '../../src/framework/node-info.js';
import { podInfoFor } from '../../src/framework/pod-info.js';
import { Code } from '../../src/framework/status.js';
import { RUNTIME_DOCKER, RUNTIME_WASM, runtimeLabel } from '../../src/plugins/runtime-class/runtime-class.js';

export type Resources = Record<string, string>;

let seq = 0;

/** A Ready node offering both runtimes, with the given allocatable (defaults: 4 cpu, 8Gi, 110 pods). */
export function node(name: string, allocatable: Resources = {}, extra: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; ready?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, [runtimeLabel(RUNTIME_WASM)]: 'true', [runtimeLabel(RUNTIME_DOCKER)]: 'true', ...extra.labels },
    },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: {
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', ...allocatable },
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}

export const nodeWithTaints = (name: string, ...taints: Taint[]): Node => node(name, {}, { taints });
export const nodeWithLabels = (name: string, labels: Record<string, string>): Node => node(name, {}, { labels });

export interface PodExtra {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  spec?: Partial<NonNullable<Pod['spec']>>;
  owner?: string;
}

/** A pod with one container requesting `requests` (nothing by default). */
export function pod(name: string, requests: Resources = {}, extra: PodExtra = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      uid: `uid-${name}-${++seq}`,
      labels: extra.labels,
      ownerReferences: extra.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: extra.owner, uid: `rs-${extra.owner}`, controller: true }] : undefined,
    },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests } }], nodeName: extra.nodeName, ...extra.spec },
  };
}

export const podWithTolerations = (name: string, ...tolerations: Toleration[]): Pod => pod(name, {}, { spec: { tolerations } });

/** A cache holding `nodes` and the bound `pods` (spec.nodeName set). */
export function cacheWith(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.upsertNode(n);
  for (const p of pods) cache.upsertPod(p);
  return cache;
}

export interface FilterOutcome {
  code: Code;
  reasons: readonly string[];
}

/** Runs PreFilter (if any) and Filter of `plugin` for `p` on the node named `nodeName`. */
export function runFilter(plugin: Plugin, p: Pod, cache: SchedulerCache, nodeName: string): FilterOutcome {
  const state = new CycleState();
  const info = podInfoFor(p);
  if (isPreFilter(plugin)) {
    const s = plugin.preFilter(state, info);
    if (s.code === Code.Skip) return { code: Code.Success, reasons: [] };
    if (!s.isSuccess()) return { code: s.code, reasons: s.reasons };
  }
  if (!isFilter(plugin)) throw new Error(`${plugin.name} is no filter`);
  const ni = cache.nodeInfo(nodeName) as NodeInfo;
  const s = plugin.filter(state, info, ni);
  return { code: s.code, reasons: s.reasons };
}

/** Runs PreScore, Score and NormalizeScore of `plugin` over every node of the cache; rounded. */
export function runScore(plugin: Plugin, p: Pod, cache: SchedulerCache): Record<string, number> {
  if (!isScore(plugin)) throw new Error(`${plugin.name} is no score plugin`);
  const state = new CycleState();
  const info = podInfoFor(p);
  const nodes = cache.nodeList();
  if (isPreScore(plugin) && plugin.preScore(state, info, nodes).code === Code.Skip) return Object.fromEntries(nodes.map((n) => [n.name, 0]));
  const scores = new Float64Array(nodes.map((n) => plugin.score(state, info, n)));
  plugin.normalizeScore?.(state, info, scores);
  return Object.fromEntries(nodes.map((n, i) => [n.name, Math.round((scores[i] ?? 0) * 100) / 100]));
}
