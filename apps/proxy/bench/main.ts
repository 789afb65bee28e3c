// The proxy benchmark (issue 6; a measurement, not a test). It starts the real stack — redis,
// apiserver, a kubelet whose Wasm daemon runs one hello-http pod, the proxy — and nginx as the
// peer when installed, then measures in the same run, round by round in rotated order:
//   direct to the pod · through the ClusterIP (kite proxy) · through nginx to the same pod
// each with autocannon at saturation (throughput, p50/p99), then all three with one fixed-rate
// probe whose requests alternate between them (latency a hop adds when nothing queues). Prints medians and the targets, writes bench/results.json.
//
//   npm run bench -w @kite/proxy                 (after npm run build)
//   npm run bench -w @kite/proxy -- --rounds 1 --duration-ms 3000
//
// Bounded: every phase is time-limited, and a watchdog ends the run if it ever hangs.
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineBusyMs, otherCpuPercent, treeCpuMs } from './cpu.js';
import { probe, saturate } from './load.js';
import { NGINX_INSTALL_HINT, findNginx, startNginx, type Nginx } from './nginx.js';
import { parseOptions, type BenchOptions } from './options.js';
import { Targets, checkTargets, formatTable, formatTargets, summarize, type Measurement, type Target } from './report.js';
import { startStack, type Stack } from './stack.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const PROXY_MAIN = join(BENCH_DIR, '..', 'dist', 'main.js');
/** Start-up allowance on top of the measured phases (processes, pod start, nginx). */
const STARTUP_ALLOWANCE_MS = 120_000;

interface Subject {
  target: Target;
  url: string;
  /** The hop's process, whose CPU per request is reported. */
  hopPid?: number;
}

/** Other processes using less than this share of one core count as a quiet machine. */
const QUIET_CPU_PERCENT = 25;
const QUIET_WINDOW_MS = 500;

/** Waits (bounded) until other processes leave the cores alone: these machines are shared. */
async function waitQuiet(maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    if ((await otherCpuPercent(process.pid, QUIET_WINDOW_MS)) < QUIET_CPU_PERCENT) return;
  }
}

async function measure(s: Subject, o: BenchOptions): Promise<Omit<Measurement, 'probe'>> {
  await waitQuiet(o.quietWaitMs);
  const hop0 = s.hopPid ? treeCpuMs(s.hopPid) : 0;
  const ours0 = treeCpuMs(process.pid);
  const busy0 = machineBusyMs();
  const t0 = performance.now();
  const saturation = await saturate(s.url, o.connections, o.durationMs);
  const elapsed = performance.now() - t0;
  const hopMs = s.hopPid ? treeCpuMs(s.hopPid) - hop0 : 0;
  const otherMs = machineBusyMs() - busy0 - (treeCpuMs(process.pid) - ours0);
  return {
    target: s.target,
    saturation,
    otherCpuPercent: Math.max(0, (otherMs / elapsed) * 100),
    ...(s.hopPid ? { hopCpuUsPerRequest: (hopMs * 1000) / Math.max(1, saturation.requests) } : {}),
  };
}

/** One round: each subject saturated in turn (order rotated by round), then one interleaved probe. */
async function round(r: number, subjects: readonly Subject[], o: BenchOptions): Promise<Measurement[]> {
  const order = subjects.map((_, i) => subjects[(i + r) % subjects.length] as Subject);
  const partial: Omit<Measurement, 'probe'>[] = [];
  for (const s of order) partial.push(await measure(s, o));
  await waitQuiet(o.quietWaitMs);
  const probes = await probe(order.map((s) => s.url), o.rate, o.probeMs);
  return partial.map((m, i) => ({ ...m, probe: probes[i] ?? { p50: Number.NaN, p99: Number.NaN, requests: 0, errors: 0 } }));
}

async function run(o: BenchOptions, stack: Stack, nginx: Nginx | undefined): Promise<void> {
  const subjects: Subject[] = [
    { target: Targets.Direct, url: stack.podURL },
    { target: Targets.ClusterIP, url: stack.clusterURL, hopPid: stack.proxy.child.pid },
    ...(nginx ? [{ target: Targets.Nginx, url: nginx.url, hopPid: nginx.pid }] : []),
  ];
  for (const s of subjects) await saturate(s.url, o.connections, o.warmupMs);
  const rounds: Measurement[][] = [];
  for (let r = 0; r < o.rounds; r++) {
    const measured = await round(r, subjects, o);
    rounds.push(measured);
    console.log(`\nround ${r + 1}:\n${formatTable(summarize([measured]), o.rate)}`);
  }
  const rows = summarize(rounds);
  const targets = checkTargets(rows);
  console.log(`\nmedian of ${o.rounds} round(s), pod ${stack.podIP}, ${o.connections} connections at saturation:\n${formatTable(rows, o.rate)}`);
  console.log(`\n${formatTargets(targets)}`);
  const doc = { date: new Date().toISOString(), node: process.version, cores: cpus().length, options: o, nginx: nginx ? 'measured' : 'skipped', median: rows, targets, rounds };
  writeFileSync(o.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\nresults written to ${o.out}`);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), BENCH_DIR);
  if (!existsSync(PROXY_MAIN)) throw new Error(`${PROXY_MAIN} is missing: build first (npx turbo run build --filter=@kite/proxy...)`);
  const phases = o.warmupMs * 3 + o.rounds * (3 * (o.durationMs + o.quietWaitMs + 1000) + o.probeMs + o.quietWaitMs);
  const watchdog = setTimeout(() => {
    console.error(`watchdog: the benchmark ran past ${Math.round((phases + STARTUP_ALLOWANCE_MS) / 1000)} s; aborting`);
    process.exit(2);
  }, phases + STARTUP_ALLOWANCE_MS);
  watchdog.unref();
  console.log(`proxy bench: ${o.rounds} round(s), ${o.durationMs} ms saturation + ${o.probeMs} ms at ${o.rate} req/s per target, ${cpus().length} cores, node ${process.version}`);
  const stack = await startStack();
  const bin = findNginx();
  if (!bin) console.log(`nginx not found: the nginx peer is skipped (install it with: ${NGINX_INSTALL_HINT})`);
  let nginx: Nginx | undefined;
  try {
    nginx = bin ? await startNginx(bin, `${stack.podIP}:8080`) : undefined;
    await run(o, stack, nginx);
  } finally {
    await nginx?.stop();
    await stack.stop();
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
