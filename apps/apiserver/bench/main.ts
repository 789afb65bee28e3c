// The apiserver benchmark (issues 2 and 20; a measurement, not a test). Each round starts a real
// redis-server and a real apiserver process on 127.0.0.1 (HTTPS, test PKI), seeds them, warms
// up, and measures at a fixed number of concurrent clients: create, get, list of 1,000 and
// update, each beside the same Redis work done straight through ioredis, then watch fan-out to
// HTTPS watchers; then the security phase on servers of its own (security.ts). It prints the
// medians over rounds and writes them, with every round's numbers, to bench/results.json.
//
//   npm run bench                       (repo root: builds, then every workspace's bench)
//   npm run bench -w @kite/apiserver -- --rounds 1 --only create --cpu-prof
//   npm run bench -w @kite/apiserver -- --rounds 1 --only security
//
// Every loop is bounded by time and by count, and a watchdog ends the run if it ever hangs.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseOptions, type BenchOptions } from './options.js';
import { formatProfile, type LabelledProfile } from './profile.js';
import { checkTargets, formatClients, formatFanout, formatRows, formatTargets, summarize, type RoundResult } from './report.js';
import { runRound } from './round.js';
import { SECURITY_LEGEND, checkSecurityTargets, formatSecurity, summarizeSecurity } from './security-report.js';
import { ServerSet } from './servers.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const APISERVER_MAIN = join(BENCH_DIR, '..', 'dist', 'main.js');
const PROFILE_DIR = join(BENCH_DIR, 'profiles');

const LEGEND = [
  'ratio: apiserver ops/s ÷ raw-Redis ops/s. api µs/op, api syscalls/op: apiserver CPU and read+write system calls per',
  'operation (per delivered event for fan-out);',
  'redis µs/op: redis-server CPU per operation in the baseline. cpu%: share of one core used by apiserver/redis/bench/other',
  'processes during the apiserver run (raw cpu%: during the baseline); a high "other" means the machine was shared.',
].join('\n');

/** The commit measured, marked dirty when the apiserver or packages differ from it (others edit them). */
function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../src', '../../../packages'], { cwd: BENCH_DIR }).toString().trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** Upper bound on a whole run: every phase at its time bound and quiet wait, plus start-up slack. */
function watchdogMs(o: BenchOptions): number {
  const measurements = (8 + o.writerConcurrency.length) * (o.retries + 1) + 3;
  // The security phase: 2 operations × 6 passes of half the duration each, and its own servers.
  const securityPasses = 12 * (o.retries + 1);
  const security = securityPasses * (o.durationMs / 2 + o.quietWaitMs) + o.warmupMs * 2 + 90_000;
  return o.rounds * (measurements * (o.durationMs + o.quietWaitMs) + o.warmupMs * 3 + 90_000 + security);
}

async function run(opts: BenchOptions, servers: ServerSet): Promise<void> {
  if (!existsSync(APISERVER_MAIN)) throw new Error(`${APISERVER_MAIN} is missing: build first (npx turbo run build --filter=@kite/apiserver...)`);
  console.log(`apiserver bench: ${opts.rounds} round(s), ${opts.concurrency} clients, ${opts.durationMs} ms per phase, ${cpus().length} cores, node ${process.version}`);
  if (opts.cpuProf) rmSync(PROFILE_DIR, { recursive: true, force: true });
  const rounds: RoundResult[] = [];
  const profiles: Array<LabelledProfile & { round: number }> = [];
  for (let r = 1; r <= opts.rounds; r++) {
    const { result, profiles: taken } = await runRound(r, { opts, servers, benchDir: BENCH_DIR, profileDir: PROFILE_DIR });
    rounds.push(result);
    profiles.push(...taken.map((p) => ({ ...p, round: r })));
    console.log(`\nround ${r}:\n${formatRows(summarize([result]))}`);
    for (const f of result.fanouts) console.log(formatFanout(f));
    if (result.clients) console.log(`\n${formatClients(result.clients)}`);
    if (result.security) console.log(`\nsecurity, round ${r}:\n${formatSecurity(summarizeSecurity([result.security]))}`);
    for (const p of taken) console.log(`\n[${p.label}] ${formatProfile(p.summary)}`);
  }
  const rows = summarize(rounds);
  const securityResults = rounds.flatMap((r) => (r.security ? [r.security] : []));
  const security = securityResults.length > 0 ? summarizeSecurity(securityResults) : undefined;
  const targets = [...checkTargets(rounds, rows), ...(security ? checkSecurityTargets(security) : [])];
  if (rows.length > 0) console.log(`\nmedian of ${rounds.length} round(s):\n${formatRows(rows)}\n${LEGEND}`);
  if (security) console.log(`\nsecurity, median of ${securityResults.length} round(s):\n${formatSecurity(security)}\n${SECURITY_LEGEND}`);
  console.log(`\n${formatTargets(targets)}`);
  const doc = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cores: cpus().length,
    options: { ...opts, only: [...opts.only] },
    median: rows,
    ...(security ? { security } : {}),
    targets,
    rounds,
    profiles,
  };
  writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\nresults written to ${opts.out}`);
}

function main(): void {
  const opts = parseOptions(process.argv.slice(2), BENCH_DIR);
  if (!opts) {
    console.log(USAGE);
    return;
  }
  const servers = new ServerSet();
  // Leaves explicitly in every case: library sockets and timers may linger after the run.
  const exit = (code: number, why?: string) => {
    if (why) console.error(`bench: ${why}; stopping servers`);
    clearTimeout(watchdog);
    void servers.stop().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => exit(2, `watchdog: run exceeded ${watchdogMs(opts)} ms`), watchdogMs(opts));
  process.on('SIGINT', () => exit(130, 'interrupted'));
  process.on('SIGTERM', () => exit(143, 'terminated'));
  run(opts, servers).then(
    () => exit(0),
    (err: unknown) => exit(1, err instanceof Error ? (err.stack ?? err.message) : String(err)),
  );
}

main();
