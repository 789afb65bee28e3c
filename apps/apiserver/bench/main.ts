// The apiserver benchmark (issue 2; a measurement, not a test). Each round starts a real
// redis-server and a real apiserver process on 127.0.0.1, seeds them, warms up, and measures at a
// fixed number of concurrent clients: create, get, list of 1,000 and update, each beside the same
// Redis work done straight through ioredis, then watch fan-out to HTTP watchers. It prints the
// medians over rounds and writes them, with every round's raw numbers, to bench/results.json.
//
//   npm run bench                       (repo root: builds, then every workspace's bench)
//   npm run bench -w @kite/apiserver -- --rounds 1 --only create --cpu-prof
//
// Every loop is bounded by time and by count, and a watchdog ends the run if it ever hangs.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { compareClients } from './clients.js';
import { fanoutPhase } from './fanout.js';
import { ApiClient } from './http.js';
import { createPhase, getPhase, listPhase, seed, updatePhase, warmUp, type PhaseContext } from './phases.js';
import { PhaseProfiler, formatProfile, type LabelledProfile } from './profile.js';
import { RawRedis } from './raw.js';
import { checkTargets, formatClients, formatFanout, formatRows, formatTargets, summarize, type RoundResult } from './report.js';
import { objectPath } from './objects.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const APISERVER_MAIN = join(BENCH_DIR, '..', 'dist', 'main.js');
const PHASES = ['create', 'get', 'list', 'update', 'fanout', 'clients'] as const;
type PhaseName = (typeof PHASES)[number];

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'duration-ms': { type: 'string', default: '5000' },
    'max-ops': { type: 'string', default: '300000' },
    concurrency: { type: 'string', default: '32' },
    watchers: { type: 'string', default: '100' },
    // Fan-out runs once per setting: 1 in flight shows unqueued latency, 32 fills the pipe.
    'writer-concurrency': { type: 'string', default: '1,32' },
    'quiet-wait-ms': { type: 'string', default: '20000' },
    'warmup-ms': { type: 'string', default: '1500' },
    only: { type: 'string', default: PHASES.join(',') },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string', default: join(BENCH_DIR, 'results.json') },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`usage: tsx bench/main.ts [--rounds N] [--duration-ms MS] [--max-ops N] [--concurrency N]
  [--watchers N] [--writer-concurrency N,N] [--warmup-ms MS] [--quiet-wait-ms MS] [--only ${PHASES.join(',')}] [--cpu-prof] [--out FILE]`);
  process.exit(0);
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

const opts = {
  rounds: positive('rounds', flags.rounds),
  durationMs: positive('duration-ms', flags['duration-ms']),
  maxOps: positive('max-ops', flags['max-ops']),
  concurrency: positive('concurrency', flags.concurrency),
  watchers: positive('watchers', flags.watchers),
  writerConcurrency: (flags['writer-concurrency'] ?? '').split(',').map((v) => positive('writer-concurrency', v)),
  quietWaitMs: Number(flags['quiet-wait-ms'] ?? 0),
  warmupMs: positive('warmup-ms', flags['warmup-ms']),
  cpuProf: flags['cpu-prof'] === true,
  only: new Set((flags.only ?? '').split(',').filter(Boolean)),
  out: flags.out ?? join(BENCH_DIR, 'results.json'),
};
for (const p of opts.only) if (!PHASES.includes(p as PhaseName)) throw new Error(`--only: unknown phase ${p} (know ${PHASES.join(', ')})`);
const wants = (p: PhaseName) => opts.only.has(p);

/** Upper bound on a whole run: phases at their time bound, plus seeding and start-up slack. */
const WATCHDOG_MS = opts.rounds * ((12 + opts.writerConcurrency.length) * (opts.durationMs + opts.quietWaitMs) + opts.warmupMs * 3 + 90_000);
const PROFILE_DIR = join(BENCH_DIR, 'profiles');
const PROFILE_PRELOAD = join(BENCH_DIR, 'cpu-profile-preload.mjs');

// ---- process lifecycle: whatever happens, the servers this run started are stopped ----

const running: { redis?: RedisHandle; server?: ApiServerHandle } = {};

async function stopServers(): Promise<void> {
  const { server, redis } = running;
  running.server = undefined;
  running.redis = undefined;
  await server?.stop().catch(() => undefined);
  await redis?.destroy().catch(() => undefined);
}

function abort(why: string, code: number): void {
  console.error(`bench: ${why}; stopping servers`);
  void stopServers().finally(() => process.exit(code));
}
process.on('SIGINT', () => abort('interrupted', 130));
process.on('SIGTERM', () => abort('terminated', 143));
const watchdog = setTimeout(() => abort(`watchdog: run exceeded ${WATCHDOG_MS} ms`, 2), WATCHDOG_MS);

// ---- one round ----

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function startServers(): Promise<{ redis: RedisHandle; server: ApiServerHandle }> {
  const redis = (running.redis = await startRedis());
  // --cpu-prof reaches only the apiserver child (see cpu-profile-preload.mjs): the environment is
  // read when it spawns, then restored.
  const saved = { options: process.env.NODE_OPTIONS, dir: process.env.KITE_CPU_PROF_DIR };
  if (opts.cpuProf) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${PROFILE_PRELOAD}`.trim();
    process.env.KITE_CPU_PROF_DIR = PROFILE_DIR;
  }
  try {
    running.server = await startApiServerProcess(redis.url);
  } finally {
    restoreEnv('NODE_OPTIONS', saved.options);
    restoreEnv('KITE_CPU_PROF_DIR', saved.dir);
  }
  return { redis, server: running.server };
}

async function runRound(round: number): Promise<{ result: RoundResult; profiles: LabelledProfile[] }> {
  const { redis, server } = await startServers();
  const raw = new RawRedis(redis.url);
  await raw.connect();
  const api = new ApiClient(server.url, opts.concurrency);
  const pids = { apiserver: server.child.pid ?? 0, redis: await raw.serverPid() };
  const bounds = { concurrency: opts.concurrency, durationMs: opts.durationMs, maxOps: opts.maxOps };
  const profiler = opts.cpuProf ? new PhaseProfiler(pids.apiserver, PROFILE_DIR) : undefined;
  const ctx: PhaseContext = { api, raw, pids, bounds, quietWaitMs: opts.quietWaitMs, ...(profiler ? { profiler } : {}) };
  const result: RoundResult = { round, phases: [], fanouts: [] };
  try {
    const seeded = await seed(ctx);
    await warmUp(ctx, opts.warmupMs);
    if (wants('create')) result.phases.push(await createPhase(ctx));
    if (wants('get')) result.phases.push(await getPhase(ctx));
    if (wants('list')) result.phases.push(await listPhase(ctx));
    if (wants('update')) result.phases.push(await updatePhase(ctx, seeded));
    if (wants('fanout')) {
      // Capped so the latency samples (writes × watchers) stay a bounded allocation.
      const fanoutBounds = { ...bounds, maxOps: Math.min(opts.maxOps, 20_000) };
      for (const writerConcurrency of opts.writerConcurrency) {
        result.fanouts.push(await fanoutPhase(api, server.url, pids, { watchers: opts.watchers, writerConcurrency, bounds: fanoutBounds, quietWaitMs: opts.quietWaitMs, ...(profiler ? { profiler } : {}) }));
      }
    }
    if (wants('clients') && round === 1) {
      result.clients = await compareClients(server.url, objectPath('bench-list', 'l-0'), { ...bounds, durationMs: Math.min(opts.durationMs, 3000) }, pids, opts.quietWaitMs);
    }
  } finally {
    await api.close();
    raw.close();
    await stopServers();
  }
  return { result, profiles: profiler?.profiles ?? [] };
}

// ---- main ----

const LEGEND = [
  'ratio: apiserver ops/s ÷ raw-Redis ops/s. api µs/op: apiserver CPU per operation (per delivered event for fan-out);',
  'redis µs/op: redis-server CPU per operation in the baseline. cpu%: share of one core used by apiserver/redis/bench/other',
  'processes during the apiserver run (raw cpu%: during the baseline); a high "other" means the machine was shared.',
].join('\n');

async function main(): Promise<void> {
  if (!existsSync(APISERVER_MAIN)) throw new Error(`${APISERVER_MAIN} is missing: build first (npx turbo run build --filter=@kite/apiserver...)`);
  console.log(`apiserver bench: ${opts.rounds} round(s), ${opts.concurrency} clients, ${opts.durationMs} ms per phase, ${cpus().length} cores, node ${process.version}`);
  const rounds: RoundResult[] = [];
  const profiles: Array<LabelledProfile & { round: number }> = [];
  if (opts.cpuProf) rmSync(PROFILE_DIR, { recursive: true, force: true });
  for (let r = 1; r <= opts.rounds; r++) {
    const { result, profiles: taken } = await runRound(r);
    rounds.push(result);
    profiles.push(...taken.map((p) => ({ ...p, round: r })));
    console.log(`\nround ${r}:\n${formatRows(summarize([result]))}`);
    for (const f of result.fanouts) console.log(formatFanout(f));
    if (result.clients) console.log(`\n${formatClients(result.clients)}`);
    for (const p of taken) console.log(`\n[${p.label}] ${formatProfile(p.summary)}`);
  }
  const rows = summarize(rounds);
  const targets = checkTargets(rounds, rows);
  console.log(`\nmedian of ${rounds.length} round(s):\n${formatRows(rows)}\n${LEGEND}`);
  console.log(`\n${formatTargets(targets)}`);
  const doc = { date: new Date().toISOString(), node: process.version, cores: cpus().length, options: { ...opts, only: [...opts.only] }, median: rows, targets, rounds, profiles };
  writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\nresults written to ${opts.out}`);
}

main()
  .then(() => {
    clearTimeout(watchdog);
    // Sockets and timers of libraries may linger; the run is over, so leave explicitly.
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    clearTimeout(watchdog);
    void stopServers().finally(() => process.exit(1));
  });
