// One round: fresh servers, seed, warm up, then each selected phase in turn; then, if selected,
// the security phase on servers of its own. Rounds are independent (new Redis, new apiserver
// processes), so their medians are not one run's luck.
import { ApiClient } from './http.js';
import { compareClients } from './clients.js';
import { fanoutPhase } from './fanout.js';
import { objectPath } from './objects.js';
import { MAIN_PHASES, type BenchOptions } from './options.js';
import { createPhase, getPhase, listPhase, seed, updatePhase, warmUp, type PhaseContext } from './phases.js';
import { PhaseProfiler, type LabelledProfile } from './profile.js';
import { RawRedis } from './raw.js';
import type { RoundResult } from './report.js';
import { securityPhase } from './security.js';
import type { ServerSet } from './servers.js';

/** Fan-out writes per run at most: the latency samples (writes × watchers) stay bounded. */
const FANOUT_MAX_WRITES = 20_000;
/** The client comparison is a side measurement; a shorter phase is enough. */
const CLIENTS_MAX_MS = 3000;

export interface RoundEnv {
  opts: BenchOptions;
  servers: ServerSet;
  benchDir: string;
  profileDir: string;
}

export async function runRound(round: number, env: RoundEnv): Promise<{ result: RoundResult; profiles: LabelledProfile[] }> {
  const result: RoundResult = { round, phases: [], fanouts: [] };
  let profiles: LabelledProfile[] = [];
  if (MAIN_PHASES.some((p) => env.opts.only.has(p))) profiles = await mainPhases(round, env, result);
  if (env.opts.only.has('security')) result.security = await securityPhase(env.opts, env.servers, env.benchDir);
  return { result, profiles };
}

/**
 * The phases on one Redis and one apiserver with the default flags. Requests come from the
 * cluster admin (system:masters), whom authorization lets through first thing: these phases
 * measure the apiserver's own work, the security phase what RBAC adds.
 */
async function mainPhases(round: number, env: RoundEnv, result: RoundResult): Promise<LabelledProfile[]> {
  const { opts } = env;
  const { redis, server } = await env.servers.start(env.benchDir, opts.cpuProf ? env.profileDir : undefined);
  const conn = await server.connection();
  const raw = new RawRedis(redis.url);
  const api = new ApiClient(conn, opts.concurrency);
  let profiler: PhaseProfiler | undefined;
  try {
    await raw.connect();
    const pids = { apiserver: server.child.pid ?? 0, redis: await raw.serverPid() };
    const bounds = { concurrency: opts.concurrency, durationMs: opts.durationMs, maxOps: opts.maxOps };
    profiler = opts.cpuProf ? new PhaseProfiler(pids.apiserver, env.profileDir) : undefined;
    const withProfiler = profiler ? { profiler } : {};
    const contention = { pids, quietWaitMs: opts.quietWaitMs, retries: opts.retries };
    const ctx: PhaseContext = { api, raw, pids, bounds, contention, ...withProfiler };
    const seeded = await seed(ctx);
    await warmUp(ctx, opts.warmupMs);
    if (opts.only.has('create')) result.phases.push(await createPhase(ctx));
    if (opts.only.has('get')) result.phases.push(await getPhase(ctx));
    if (opts.only.has('list')) result.phases.push(await listPhase(ctx));
    if (opts.only.has('update')) result.phases.push(await updatePhase(ctx, seeded));
    if (opts.only.has('fanout')) {
      const fanoutBounds = { ...bounds, maxOps: Math.min(opts.maxOps, FANOUT_MAX_WRITES) };
      for (const writerConcurrency of opts.writerConcurrency) {
        result.fanouts.push(await fanoutPhase(api, conn, { watchers: opts.watchers, writerConcurrency, bounds: fanoutBounds, contention, ...withProfiler }));
      }
    }
    if (opts.only.has('clients') && round === 1) {
      const clientBounds = { ...bounds, durationMs: Math.min(opts.durationMs, CLIENTS_MAX_MS) };
      result.clients = await compareClients(conn, objectPath('bench-list', 'l-0'), clientBounds, pids, opts.quietWaitMs);
    }
  } finally {
    await api.close();
    raw.close();
    await env.servers.stop();
  }
  return profiler?.profiles ?? [];
}
