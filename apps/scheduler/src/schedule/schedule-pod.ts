// schedulePod: the pure decision for one pod — filter a sample of nodes, score the feasible
// ones, pick the best. No I/O: the caller assumes, binds and reports.
//
//   1. PreFilter once; a rejection there rejects every node (FitError with that status).
//   2. Filter nodes starting at the rotating start index until numFeasibleNodesToFind feasible
//      nodes are found or every node was examined; remember each rejection for the message.
//   3. No feasible node → FitError. One → it wins without scoring. Several → score them and pick
//      the highest total, breaking ties uniformly at random (reservoir sampling), so equal nodes
//      share the load.
import type { CycleState } from '../framework/cycle-state.js';
import { FitError } from '../framework/fit-error.js';
import type { Framework } from '../framework/framework.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, type Status } from '../framework/status.js';
import { numFeasibleNodesToFind } from './sampling.js';

export interface ScheduleResult {
  nodeName: string;
  /** Nodes examined by the filters. */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** The cycle's state, for Reserve and PreBind on the chosen node. */
  state: CycleState;
}

export interface ScheduleContext {
  framework: Framework;
  nodes: readonly NodeInfo[];
  percentageOfNodesToScore: number;
  /** Where filtering starts; advanced by the number of nodes examined (the caller keeps it). */
  startIndex: number;
  random?: () => number;
}

/** A ScheduleResult, a FitError (no node fits), or an Error status (something broke). */
export type ScheduleOutcome = { result: ScheduleResult } | { fitError: FitError } | { error: Status };

export function schedulePod(ctx: ScheduleContext, pod: PodInfo): ScheduleOutcome & { nextStartIndex: number } {
  const { framework, nodes } = ctx;
  const state = framework.newCycleState();
  const pre = framework.runPreFilter(state, pod);
  if (pre.status.code === Code.Error) return { error: pre.status, nextStartIndex: ctx.startIndex };
  if (!pre.status.isSuccess()) {
    return { fitError: new FitError(nodes.length, new Map(), pre.status), nextStartIndex: ctx.startIndex };
  }
  if (nodes.length === 0) return { fitError: new FitError(0, new Map()), nextStartIndex: ctx.startIndex };

  const want = numFeasibleNodesToFind(nodes.length, ctx.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const rejected = new Map<string, Status>();
  const n = nodes.length;
  const start = ctx.startIndex % n;
  let examined = 0;
  for (; examined < n && feasible.length < want; examined++) {
    const node = nodes[(start + examined) % n] as NodeInfo;
    const s = framework.runFilters(state, pod, node, pre.filters);
    if (s.isSuccess()) feasible.push(node);
    else if (s.code === Code.Error) return { error: s, nextStartIndex: (start + examined) % n };
    else rejected.set(node.name, s);
  }
  const nextStartIndex = (start + examined) % n;
  if (feasible.length === 0) return { fitError: new FitError(n, rejected), nextStartIndex };
  const result = { evaluatedNodes: examined, feasibleNodes: feasible.length, state };
  if (feasible.length === 1) return { result: { ...result, nodeName: (feasible[0] as NodeInfo).name }, nextStartIndex };

  const totals = framework.runScores(state, pod, feasible);
  if (!(totals instanceof Float64Array)) return { error: totals, nextStartIndex };
  return { result: { ...result, nodeName: selectHost(feasible, totals, ctx.random ?? Math.random) }, nextStartIndex };
}

/** The node with the highest total; among equals each is equally likely. */
export function selectHost(nodes: readonly NodeInfo[], totals: Float64Array, random: () => number): string {
  let best = -Infinity;
  let chosen = '';
  let ties = 0;
  for (let i = 0; i < nodes.length; i++) {
    const t = totals[i] ?? 0;
    if (t > best) {
      best = t;
      chosen = (nodes[i] as NodeInfo).name;
      ties = 1;
    } else if (t === best && random() * ++ties < 1) {
      chosen = (nodes[i] as NodeInfo).name;
    }
  }
  return chosen;
}
