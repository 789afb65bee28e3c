// Controller benchmark (issue 5): a Deployment of 1,000 replicas over 100 hollow nodes, with the
// scheduler running. Measures, per run,
//   create   — POST of the Deployment until all 1,000 replicas are available;
//   rollout  — an image change until the rollout is complete (updated = available = total = 1,000);
// each with the API requests the apiserver served meanwhile (apiserver_request_total), of which
// the hollow kubelets sent how many (the rest: controller manager, scheduler, this harness).
// Target: each under 10 s. Prints every run and the medians; writes bench/results.json.
//
// Usage: npm run bench -w @kite/controller [-- --runs 3 --replicas 1000 --nodes 100 --binder scheduler|hollow
//        --quiet-load 1.5 --quiet-wait-ms 120000 --timeout 120000]
// Needs built apps (turbo's bench task depends on build). Loopback only; bounded by --timeout.
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DeploymentResource } from '@kite/api-types';
import { repoRoot } from '@kite/testing';
import { apiRequestTotal, schedulerBuilt, startBenchCluster, type BenchCluster, type Binder } from './cluster.js';
import { diff, sample, type CpuSample } from './cpu.js';
import { benchDeployment, cleanUp, createNamespace, deploymentComplete as complete, median } from './harness.js';
import { waitForDeployment } from './watch.js';

interface Options {
  runs: number;
  replicas: number;
  nodes: number;
  binder: Binder;
  timeoutMs: number;
  /** Before each run, wait (at most quietWaitMs) until the 1-minute load average is below this. */
  quietLoad: number;
  quietWaitMs: number;
}

interface Phase {
  ms: number;
  requests: number;
  hollowRequests: number;
  /** CPU seconds each process used during the phase. */
  cpu: CpuSample;
}

interface Run {
  create: Phase;
  rollout: Phase;
  /** 1-minute load average when the run started (other work on the machine skews results). */
  load: number;
}

/** The issue's target for each phase. */
const TARGET_MS = 10_000;

function parseArgs(argv: string[]): Options {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
  };
  const binder = get('binder', schedulerBuilt() ? 'scheduler' : 'hollow');
  if (binder !== 'scheduler' && binder !== 'hollow') throw new Error('--binder must be scheduler or hollow');
  return {
    runs: Number(get('runs', '3')),
    replicas: Number(get('replicas', '1000')),
    nodes: Number(get('nodes', '100')),
    binder,
    timeoutMs: Number(get('timeout', '120000')),
    quietLoad: Number(get('quiet-load', '1.5')),
    quietWaitMs: Number(get('quiet-wait-ms', '120000')),
  };
}

/** Runs `act`, waits until `done`, and counts the requests served meanwhile. */
async function phase(c: BenchCluster, act: () => Promise<unknown>, wait: () => Promise<void>): Promise<Phase> {
  const before = await apiRequestTotal(c.apiserver);
  const hollowBefore = c.hollow.requests;
  const cpuBefore = sample(c.pids);
  const start = performance.now();
  const waiting = wait();
  await act();
  await waiting;
  const ms = performance.now() - start;
  const cpu = diff(sample(c.pids), cpuBefore);
  return { ms, requests: (await apiRequestTotal(c.apiserver)) - before, hollowRequests: c.hollow.requests - hollowBefore, cpu };
}

/** Waits, bounded, for the machine to calm down: other benchmarks may share these 2 cores. */
async function quiet(o: Options): Promise<number> {
  const deadline = Date.now() + o.quietWaitMs;
  while ((loadavg()[0] ?? 0) > o.quietLoad && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  return loadavg()[0] ?? 0;
}

async function runOnce(c: BenchCluster, o: Options, i: number): Promise<Run> {
  const load = await quiet(o);
  const namespace = `bench-${i}`;
  await createNamespace(c.client, namespace);
  const deployments = c.client.resource(DeploymentResource);
  const create = await phase(
    c,
    () => deployments.create(benchDeployment(namespace, o.replicas)),
    () => waitForDeployment(c.client, namespace, 'bench', complete(o.replicas), o.timeoutMs),
  );
  const rollout = await phase(
    c,
    () => deployments.patch('bench', { spec: { template: { spec: { containers: [{ name: 'app', image: 'v2.wasm' }] } } } }, { type: 'strategic', namespace }),
    () => waitForDeployment(c.client, namespace, 'bench', (d) => d.metadata.generation !== 1 && complete(o.replicas)(d), o.timeoutMs),
  );
  await cleanUp(c.client, namespace, o.timeoutMs);
  return { create, rollout, load };
}

const fmt = (p: Phase) =>
  `${(p.ms / 1000).toFixed(2)} s, ${p.requests} requests (hollow kubelets ${p.hollowRequests}); CPU s: ${Object.entries(p.cpu)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ')}`;

function printRun(r: Run, i: number): void {
  console.log(`run ${i + 1} (load ${r.load.toFixed(1)}):\n  create→available ${fmt(r.create)}\n  rolling update   ${fmt(r.rollout)}`);
}

function report(o: Options, runs: Run[]): void {
  const summary = {
    replicas: o.replicas,
    nodes: o.nodes,
    binder: o.binder,
    runs: runs.length,
    createMedianMs: Math.round(median(runs.map((r) => r.create.ms))),
    createMedianRequests: median(runs.map((r) => r.create.requests)),
    rolloutMedianMs: Math.round(median(runs.map((r) => r.rollout.ms))),
    rolloutMedianRequests: median(runs.map((r) => r.rollout.requests)),
    targetMs: TARGET_MS,
  };
  console.log(
    `median: create→available ${(summary.createMedianMs / 1000).toFixed(2)} s (${summary.createMedianRequests} requests), ` +
      `rolling update ${(summary.rolloutMedianMs / 1000).toFixed(2)} s (${summary.rolloutMedianRequests} requests); target < ${TARGET_MS / 1000} s each`,
  );
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify({ summary, runs }, null, 2)}\n`);
}

/** The apps the benchmark starts as processes must be built. */
function requireBuilt(apps: string[]): void {
  const missing = apps.filter((app) => !existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js')));
  if (missing.length > 0) throw new Error(`build first (npx turbo run build): missing ${missing.map((a) => `apps/${a}/dist/main.js`).join(', ')}`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  requireBuilt(['apiserver', 'controller', ...(o.binder === 'scheduler' ? ['scheduler'] : [])]);
  console.log(`controller bench: ${o.replicas} replicas, ${o.nodes} hollow nodes, binding by ${o.binder}, ${o.runs} runs`);
  const c = await startBenchCluster({ nodes: o.nodes, binder: o.binder });
  try {
    const runs: Run[] = [];
    for (let i = 0; i < o.runs; i++) {
      runs.push(await runOnce(c, o, i));
      printRun(runs[i] as Run, i);
    }
    report(o, runs);
  } finally {
    if (process.env.BENCH_DUMP_LOG) writeFileSync(process.env.BENCH_DUMP_LOG, c.controller.output());
    await c.stop();
  }
}

await main();
