// The request/response phases: create, get, list of 1,000 and update, each run twice in a row,
// once through the apiserver over HTTPS (as the cluster admin) and once as the raw-Redis baseline, at the same concurrency
// and bounds, with the CPU share of each process recorded beside the numbers.
import { resourceVersionOf, type ApiClient } from './http.js';
import { closedLoop, type LoopBounds, type LoopResult, type Operation } from './loop.js';
import { cpuMeter, cpuUsPerOp, leastContended, syscallMeter, type ContentionPolicy, type CpuPids, type CpuShare, type Syscalls } from './cpu.js';
import { collectionPath, configMapJson, namespaceJson, objectPath, CONFIGMAPS } from './objects.js';
import type { RawRedis } from './raw.js';
import { profiled, type PhaseProfiler } from './profile.js';

export type OpName = 'create' | 'get' | 'list' | 'update';

export interface Measured extends LoopResult {
  cpu: CpuShare;
  /**
   * CPU microseconds per operation of the process doing the work: the apiserver for the HTTP
   * run, Redis for the baseline. Less sensitive to other load on the machine than ops/s.
   */
  serverCpuUsPerOp: number;
  /** System calls per operation of that same process. */
  serverSyscallsPerOp: Syscalls;
  /** Measurements taken to get this one (more than 1: the earlier ones were contended). */
  attempts: number;
}

export interface PhaseResult {
  op: OpName;
  api: Measured;
  raw: Measured;
}

/** Objects the list phase reads (the issue asks for a list of 1,000). */
export const LIST_SIZE = 1000;

/** Namespaces the phases write to; each round starts on a fresh Redis, so no cleanup between. */
const NS = { create: 'bench-create', list: 'bench-list', update: 'bench-update', warm: 'bench-warm' } as const;
/** Namespaces of the raw baseline's own objects (never seen by the apiserver's validation). */
const RAW_NS = { create: 'raw-create', update: 'raw-update' } as const;

export interface PhaseContext {
  api: ApiClient;
  raw: RawRedis;
  pids: CpuPids;
  bounds: LoopBounds;
  /** How a measurement copes with other processes on the machine. */
  contention: ContentionPolicy;
  /** Set with --cpu-prof: profiles the apiserver during each apiserver measurement. */
  profiler?: PhaseProfiler;
}

/**
 * Measures one side at the context's bounds, again while contended. `op(attempt)` gives the
 * operation of one attempt (attempts must not collide, see leastContended); `label` names the
 * apiserver profile, if one is taken.
 */
export function measure(ctx: PhaseContext, label: string, side: 'api' | 'raw', op: (attempt: number) => Operation): Promise<Measured> {
  return leastContended(ctx.contention, async (attempt) => {
    const server = side === 'api' ? ctx.pids.apiserver : ctx.pids.redis;
    const meter = cpuMeter(ctx.pids);
    const syscalls = syscallMeter(server);
    const loop = () => closedLoop(ctx.bounds, op(attempt));
    const r = side === 'api' ? await profiled(ctx.profiler, attempt ? `${label} (attempt ${attempt + 1})` : label, loop) : await loop();
    const cpu = meter();
    const serverCpu = side === 'api' ? cpu.apiserver : cpu.redis;
    return { ...r, cpu, serverCpuUsPerOp: cpuUsPerOp(serverCpu, r.elapsedMs, r.ops), serverSyscallsPerOp: syscalls(r.ops) };
  });
}

/** Fails a set-up step that must not lose operations (seeding is not measured). */
export function mustSucceed(what: string, r: LoopResult, expected: number): void {
  if (r.errors > 0 || r.ops !== expected) throw new Error(`${what}: ${r.ops}/${expected} succeeded; first error: ${r.firstError ?? 'none'}`);
}

export async function createNamespaces(api: ApiClient, names: string[]): Promise<void> {
  for (const ns of names) await api.text('POST', CONFIGMAPS, 201, namespaceJson(ns));
}

/** Per-round state the update phases carry: the resourceVersion each worker's object is at. */
export interface Seeded {
  apiRv: string[];
  rawRv: string[];
}

/** Creates the namespaces, the 1,000 objects to get and list, and one object per update worker. */
export async function seed(ctx: PhaseContext): Promise<Seeded> {
  await createNamespaces(ctx.api, Object.values(NS));
  const { concurrency } = ctx.bounds;
  const seedBounds: LoopBounds = { concurrency, durationMs: 60_000, maxOps: LIST_SIZE };
  const listed = await closedLoop(seedBounds, async (_w, i) => void (await ctx.api.text('POST', collectionPath(NS.list), 201, configMapJson(NS.list, `l-${i}`, i))));
  mustSucceed('seeding the list', listed, LIST_SIZE);
  const apiRv: string[] = [];
  const rawRv: string[] = [];
  for (let w = 0; w < concurrency; w++) {
    apiRv.push(resourceVersionOf(await ctx.api.text('POST', collectionPath(NS.update), 201, configMapJson(NS.update, `u-${w}`, 0))));
    rawRv.push(await ctx.raw.create(RAW_NS.update, `u-${w}`, 0));
  }
  return { apiRv, rawRv };
}

/** Warms the apiserver's JIT and connections with creates and gets; the numbers are discarded. */
export async function warmUp(ctx: PhaseContext, durationMs: number): Promise<void> {
  const bounds = { ...ctx.bounds, durationMs };
  await closedLoop(bounds, async (_w, i) => void (await ctx.api.text('POST', collectionPath(NS.warm), 201, configMapJson(NS.warm, `w-${i}`, i))));
  await closedLoop(bounds, async (_w, i) => void (await ctx.api.text('GET', objectPath(NS.list, `l-${i % LIST_SIZE}`), 200)));
  await closedLoop({ ...bounds, durationMs: durationMs / 2 }, async () => void (await ctx.api.drain('GET', collectionPath(NS.list), 200)));
}

export async function createPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const api = await measure(ctx, 'create', 'api', (a) => async (_w, i) => void (await ctx.api.text('POST', collectionPath(NS.create), 201, configMapJson(NS.create, `c-${a}-${i}`, i))));
  const raw = await measure(ctx, 'create', 'raw', (a) => async (_w, i) => void (await ctx.raw.create(RAW_NS.create, `c-${a}-${i}`, i)));
  return { op: 'create', api, raw };
}

export async function getPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const api = await measure(ctx, 'get', 'api', () => async (_w, i) => void (await ctx.api.text('GET', objectPath(NS.list, `l-${i % LIST_SIZE}`), 200)));
  const raw = await measure(ctx, 'get', 'raw', () => async (_w, i) => void (await ctx.raw.get(NS.list, `l-${i % LIST_SIZE}`)));
  return { op: 'get', api, raw };
}

export async function listPhase(ctx: PhaseContext): Promise<PhaseResult> {
  // Both sides read the same 1,000 objects; the count is checked once, not per request.
  const count = await ctx.raw.list(NS.list);
  if (count !== LIST_SIZE) throw new Error(`list namespace holds ${count} objects, expected ${LIST_SIZE}`);
  const api = await measure(ctx, 'list', 'api', () => async () => void (await ctx.api.drain('GET', collectionPath(NS.list), 200)));
  const raw = await measure(ctx, 'list', 'raw', () => async () => void (await ctx.raw.list(NS.list)));
  return { op: 'list', api, raw };
}

/** Each worker PUTs its own object with the resourceVersion it last got back, so none conflict. */
export async function updatePhase(ctx: PhaseContext, seeded: Seeded): Promise<PhaseResult> {
  const api = await measure(ctx, 'update', 'api', () => async (w, i) => {
    const name = `u-${w}`;
    const body = configMapJson(NS.update, name, i, seeded.apiRv[w]);
    seeded.apiRv[w] = resourceVersionOf(await ctx.api.text('PUT', objectPath(NS.update, name), 200, body));
  });
  const raw = await measure(ctx, 'update', 'raw', () => async (w, i) => {
    seeded.rawRv[w] = await ctx.raw.update(RAW_NS.update, `u-${w}`, i, seeded.rawRv[w] ?? '');
  });
  return { op: 'update', api, raw };
}
