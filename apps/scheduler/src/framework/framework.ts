// Framework: the plugins of one profile, instantiated once, and the loops that run them.
//
// Contract:
// - Construction fails (throws) on an unknown plugin name or one lacking the extension point the
//   profile enables it for — a configuration error should stop the scheduler at start-up.
// - `runPreFilter` returns the filters to run for this pod (those whose PreFilter answered Skip
//   are left out) or the rejection/error that ends the cycle early.
// - `runFilters` returns the first non-success status for a node, attributed to its plugin
//   (later filters do not run, as in Kubernetes), or SUCCESS.
// - `runScores` returns the weighted sum of normalised scores per node, in the given order.
// - `runReserve` reserves in filter order and, on the first failure, unreserves those already
//   reserved; `runUnreserve` undoes all of them (in reverse). `runPreBind` runs the PreBind
//   plugins one after the other and returns the first non-success. A plugin whose PreFilter
//   answered Skip is left out of Reserve and PreBind too (a pod without claims binds at once).
// - Reserve and PreBind run for the enabled filter plugins that implement them.
// - A plugin that throws yields an Error status; it never escapes into the scheduling loop.
import { CycleState, StateKey } from './cycle-state.js';
import type { ClusterEvent } from './events.js';
import {
  hasEvents,
  isFilter,
  isPreBind,
  isPreFilter,
  isReserve,
  isPreScore,
  isScore,
  MAX_NODE_SCORE,
  type FilterPlugin,
  type Handle,
  type Plugin,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Profile } from './profile.js';
import { asError, Code, SUCCESS, type Status } from './status.js';

/** Filters per profile: each takes a bit of the skip mask. */
const MAX_FILTERS = 30;
/** The plugins whose PreFilter answered Skip this cycle: their Reserve and PreBind do not run either. */
const skippedKey = new StateKey<ReadonlySet<string>>('framework/skipped');

export interface FrameworkOptions {
  profile: Profile;
  registry: ReadonlyMap<string, (handle: Handle) => Plugin>;
  handle: Handle;
}

export interface PreFilterOutcome {
  /** SUCCESS, or the status that rejects the pod on every node (or an Error). */
  status: Status;
  /** The filters to run for this pod. */
  filters: readonly FilterPlugin[];
}

interface WeightedScore {
  plugin: ScorePlugin;
  weight: number;
}

export class Framework {
  readonly profile: Profile;
  private readonly plugins = new Map<string, Plugin>();
  private readonly filters: FilterPlugin[] = [];
  private readonly preFilters: PreFilterPlugin[] = [];
  private readonly reserves: ReservePlugin[] = [];
  private readonly preBinds: PreBindPlugin[] = [];
  private readonly scores: WeightedScore[] = [];
  private readonly preScores = new Map<ScorePlugin, PreScorePlugin>();
  /** Position of each filter in `filters`, for the skip mask. */
  private readonly filterIndex = new Map<Plugin, number>();
  private readonly filterLists = new Map<number, readonly FilterPlugin[]>();

  constructor(opts: FrameworkOptions) {
    this.profile = opts.profile;
    const instance = (name: string): Plugin => {
      let p = this.plugins.get(name);
      if (p) return p;
      const factory = opts.registry.get(name);
      if (!factory) throw new Error(`profile ${opts.profile.schedulerName}: unknown plugin ${JSON.stringify(name)}`);
      this.plugins.set(name, (p = factory(opts.handle)));
      return p;
    };
    for (const name of opts.profile.filters) {
      const p = instance(name);
      if (!isFilter(p)) throw new Error(`plugin ${name} has no Filter extension point`);
      if (this.filters.length >= MAX_FILTERS) throw new Error(`profile ${opts.profile.schedulerName}: at most ${MAX_FILTERS} filters`);
      this.filterIndex.set(p, this.filters.length);
      this.filters.push(p);
      if (isPreFilter(p)) this.preFilters.push(p);
      if (isReserve(p)) this.reserves.push(p);
      if (isPreBind(p)) this.preBinds.push(p);
    }
    for (const { name, weight } of opts.profile.scores) {
      const p = instance(name);
      if (!isScore(p)) throw new Error(`plugin ${name} has no Score extension point`);
      if (weight <= 0) continue;
      this.scores.push({ plugin: p, weight });
      if (isPreScore(p)) this.preScores.set(p, p);
    }
  }

  /** For each enabled plugin, the cluster events that may undo its rejections. */
  eventsByPlugin(): Map<string, ReadonlySet<ClusterEvent>> {
    const out = new Map<string, ReadonlySet<ClusterEvent>>();
    for (const p of this.plugins.values()) if (hasEvents(p)) out.set(p.name, new Set(p.events()));
    return out;
  }

  runPreFilter(state: CycleState, pod: PodInfo): PreFilterOutcome {
    let skipped = 0;
    const skippedNames = new Set<string>();
    state.write(skippedKey, skippedNames);
    for (let i = 0; i < this.preFilters.length; i++) {
      const p = this.preFilters[i] as PreFilterPlugin;
      const s = call(p.name, () => p.preFilter(state, pod));
      if (s.code === Code.Skip) {
        skipped |= 1 << (this.filterIndex.get(p) ?? 0);
        skippedNames.add(p.name);
        continue;
      }
      if (!s.isSuccess()) return { status: s.withPlugin(p.name), filters: [] };
    }
    return { status: SUCCESS, filters: this.filtersWithout(skipped) };
  }

  /** The filter list minus the skipped ones (a bit per filter), memoised: few combinations occur. */
  private filtersWithout(skipped: number): readonly FilterPlugin[] {
    if (skipped === 0) return this.filters;
    let list = this.filterLists.get(skipped);
    if (!list) {
      list = this.filters.filter((_, i) => (skipped & (1 << i)) === 0);
      this.filterLists.set(skipped, list);
    }
    return list;
  }

  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, filters: readonly FilterPlugin[]): Status {
    for (const f of filters) {
      let s: Status;
      try {
        s = f.filter(state, pod, node);
      } catch (err) {
        return asError(err).withPlugin(f.name);
      }
      if (s.code !== Code.Success) return s.withPlugin(f.name);
    }
    return SUCCESS;
  }

  /** Weighted total per node; an Error status when a plugin failed. */
  runScores(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Float64Array | Status {
    const totals = new Float64Array(nodes.length);
    const raw = new Float64Array(nodes.length);
    for (const { plugin, weight } of this.scores) {
      const pre = this.preScores.get(plugin);
      if (pre) {
        const s = call(plugin.name, () => pre.preScore(state, pod, nodes));
        if (s.code === Code.Skip) continue;
        if (!s.isSuccess()) return s.withPlugin(plugin.name);
      }
      try {
        for (let i = 0; i < nodes.length; i++) raw[i] = plugin.score(state, pod, nodes[i] as NodeInfo);
        plugin.normalizeScore?.(state, pod, raw);
      } catch (err) {
        return asError(err).withPlugin(plugin.name);
      }
      for (let i = 0; i < nodes.length; i++) totals[i] = (totals[i] ?? 0) + clampScore(raw[i] ?? 0) * weight;
    }
    return totals;
  }

  runReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    const skipped = state.read(skippedKey);
    for (let i = 0; i < this.reserves.length; i++) {
      const p = this.reserves[i] as ReservePlugin;
      if (skipped?.has(p.name)) continue;
      const s = call(p.name, () => p.reserve(state, pod, nodeName));
      if (!s.isSuccess()) {
        for (let j = i; j >= 0; j--) this.unreserveOne(this.reserves[j] as ReservePlugin, state, pod, nodeName);
        return s.withPlugin(p.name);
      }
    }
    return SUCCESS;
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let j = this.reserves.length - 1; j >= 0; j--) this.unreserveOne(this.reserves[j] as ReservePlugin, state, pod, nodeName);
  }

  private unreserveOne(p: ReservePlugin, state: CycleState, pod: PodInfo, nodeName: string): void {
    try {
      p.unreserve(state, pod, nodeName);
    } catch {
      // Unreserve is best effort, as in Kubernetes: the next cycle recomputes from the caches.
    }
  }

  /** Whether a PreBind plugin runs for this cycle's pod (then binding waits for it). */
  hasPreBind(state: CycleState): boolean {
    const skipped = state.read(skippedKey);
    return this.preBinds.some((p) => !skipped?.has(p.name));
  }

  async runPreBind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status> {
    const skipped = state.read(skippedKey);
    for (const p of this.preBinds) {
      if (skipped?.has(p.name)) continue;
      let s: Status;
      try {
        s = await p.preBind(state, pod, nodeName, signal);
      } catch (err) {
        return asError(err).withPlugin(p.name);
      }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return SUCCESS;
  }

  /** A fresh CycleState for one pod. */
  newCycleState(): CycleState {
    return new CycleState();
  }
}

function call(plugin: string, fn: () => Status): Status {
  try {
    return fn();
  } catch (err) {
    return asError(err).withPlugin(plugin);
  }
}

function clampScore(s: number): number {
  if (!(s > 0)) return 0;
  return s > MAX_NODE_SCORE ? MAX_NODE_SCORE : s;
}
