// Scale-from-zero benchmark (issue 13): first-request latency from zero replicas, p50/p99 over
// N cold starts of the Wasm hello-http Deployment, beside a warm request, and beside the Docker
// equivalent (busybox httpd, image built locally) in the same run, interleaved sample by sample
// so both see the same machine. Real processes throughout (test/support/zero-cluster.ts): the
// request goes to the Service's ClusterIP, the proxy's activator holds it and scales the
// Deployment to 1, the controller manager, scheduler and kubelet start the pod, and the proxy
// forwards once the EndpointSlice shows it ready. Prints the table, the ratios and the target,
// writes bench/cold-start/results.json.
//
//   npm run bench:cold-start -w @kite/proxy                       (after npm run build)
//   npm run bench:cold-start -w @kite/proxy -- --samples 10 --docker-samples 5
//
// Bounded: N is capped, every wait has a timeout, and a watchdog ends a run that overstays.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ServiceResource } from '@kite/api-types';
import { repoRoot } from '@kite/testing';
import { waitListener } from '../../test/support/cluster.js';
import { startZeroCluster, type ZeroCluster } from '../../test/support/zero-cluster.js';
import { formatRatios, formatTable, ratios, runtimeResult, TARGET_WASM_COLD_P50_MS } from './report.js';
import { coldStart, toZero, type Sample } from './sample.js';
import { PodTimeline } from './timeline.js';
import { buildDockerImage, dockerWorkload, wasmWorkload, type Workload } from './workloads.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The benchmark's own node and service CIDR (apps/proxy's tests use 61, 62 and 81). */
const SUBNET = 82;
const SERVICE_CIDR = '127.48.0.0/24';
const DEFAULT_SAMPLES = 50;
const MAX_SAMPLES = 200;
/** Watchdog: start-up, plus a generous allowance per sample. */
const STARTUP_MS = 180_000;
const PER_WASM_SAMPLE_MS = 15_000;
const PER_DOCKER_SAMPLE_MS = 30_000;
const USAGE = 'usage: bench:cold-start [--samples N] [--docker-samples N] [--out FILE]';

interface Options {
  samples: number;
  dockerSamples: number;
  out: string;
}

function count(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > MAX_SAMPLES) throw new Error(`--${name} must be an integer in ${min}..${MAX_SAMPLES}\n${USAGE}`);
  return n;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { samples: { type: 'string' }, 'docker-samples': { type: 'string' }, out: { type: 'string' } } });
  const samples = count('samples', values.samples, DEFAULT_SAMPLES, 1);
  return { samples, dockerSamples: count('docker-samples', values['docker-samples'], samples, 0), out: values.out ?? join(HERE, 'results.json') };
}

function dockerAnswers(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

async function deploy(c: ZeroCluster, w: Workload): Promise<string> {
  const svc = await c.cp.client.resource(ServiceResource).create(w.service, { namespace: 'default' });
  await c.deployments.create(w.deployment, { namespace: 'default' });
  await waitListener(c.proxy, `${svc.spec?.clusterIP ?? ''}:80`, 'bound');
  return `http://${svc.spec?.clusterIP ?? ''}/`;
}

async function run(o: Options, c: ZeroCluster, workloads: Workload[]): Promise<void> {
  const urls = new Map<string, string>();
  for (const w of workloads) urls.set(w.name, await deploy(c, w));
  const timeline = new PodTimeline(c.pods, c.deployments, c.replicaSets);
  const samples = new Map<string, Sample[]>(workloads.map((w) => [w.name, []]));
  try {
    // One unmeasured cold start each: the first pod of a runtime pays one-time costs (module
    // compilation cache, image layers) that every later cold start does not.
    for (const w of workloads) await coldStart(c, w, urls.get(w.name) ?? '', timeline);
    const rounds = Math.max(o.samples, o.dockerSamples);
    for (let i = 0; i < rounds; i++) {
      for (const w of workloads) {
        const wanted = w.runtime === 'wasm' ? o.samples : o.dockerSamples;
        if (i >= wanted) continue;
        const s = await coldStart(c, w, urls.get(w.name) ?? '', timeline);
        samples.get(w.name)?.push(s);
        console.log(`${w.runtime.padEnd(6)} #${String(i + 1).padStart(3)}: cold ${s.coldMs.toFixed(1)} ms, warm ${s.warmMs.toFixed(2)} ms`);
      }
    }
  } finally {
    timeline.stop();
    for (const w of workloads) await toZero(c, w).catch(() => undefined);
  }
  const results = workloads.map((w) => runtimeResult(w.runtime, samples.get(w.name) ?? []));
  const [wasm, docker] = results;
  if (!wasm) return;
  const r = ratios(wasm, docker);
  console.log(`\nfirst request from zero vs warm, ${cpus().length} cores, node ${process.version}:\n${formatTable(results)}\n\n${formatRatios(r, wasm)}`);
  const doc = { date: new Date().toISOString(), node: process.version, cores: cpus().length, options: o, docker: docker ? 'measured' : 'skipped', targetWasmColdP50Ms: TARGET_WASM_COLD_P50_MS, results, ratios: r, samples: Object.fromEntries(samples) };
  writeFileSync(o.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\nresults written to ${o.out}`);
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  for (const app of ['apiserver', 'controller', 'scheduler', 'kubelet', 'proxy']) {
    if (!existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js'))) throw new Error(`apps/${app} is not built: run npm run build first`);
  }
  const docker = o.dockerSamples > 0 && dockerAnswers();
  if (o.dockerSamples > 0 && !docker) console.log('no Docker engine answers: the Docker equivalent is skipped (scripts/install-prereqs.sh starts one)');
  const budget = STARTUP_MS + o.samples * PER_WASM_SAMPLE_MS + (docker ? o.dockerSamples * PER_DOCKER_SAMPLE_MS : 0);
  const watchdog = setTimeout(() => {
    console.error(`watchdog: the benchmark ran past ${Math.round(budget / 1000)} s; aborting`);
    process.exit(2);
  }, budget);
  watchdog.unref();
  console.log(`scale-from-zero bench: ${o.samples} Wasm and ${docker ? o.dockerSamples : 0} Docker cold starts, interleaved`);
  const image = docker ? buildDockerImage() : undefined;
  const c = await startZeroCluster({ subnet: SUBNET, serviceCIDR: SERVICE_CIDR, syncPeriod: '10s', runtimes: docker ? 'wasm,docker' : 'wasm', wasmDaemon: true });
  try {
    await run(o, c, [wasmWorkload(), ...(image ? [dockerWorkload(image.image)] : [])]);
  } finally {
    await c.stop();
    image?.remove();
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
