// `npm run bench -w @kite/kubelet` (first of the two benches): Wasm pod start-up and density.
// (1) Pods of the hello-http WAGI image are created one at a time on a real apiserver + kubelet
// (`--runtimes wasm`, pods bound with spec.nodeName) and timed from create to Ready (seen on a
// watch). (2) The baseline in the same run: a bare `node` process that compiles the same module
// and serves it with node:wasi per request, timed from spawn to its first HTTP answer.
// (3) Density: (kubelet RSS + Wasm runtime daemon RSS) with MAX_PODS idle pods Running, minus the
// same before any pod, per pod.
// Targets: start p99 ≤ 100 ms; ≤ 20 MB per idle pod; Kubernetes' pod-startup SLO p99 ≤ 5 s.
// Needs redis-server and the built apiserver and kubelet (`npm run build`). Bounded: every wait
// has a timeout and the whole run stops after RUN_TIMEOUT_MS. Writes bench/wasm-results.json.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '@kite/api-types';
import { repoRoot } from '@kite/testing';
import { daemonPaths } from '../src/runtime/remote/daemon.js';
import { httpPod, isReady, pods, startKubeletCluster, type KubeletCluster } from '../test/helpers.js';

/** Pods measured for start-up (after one unmeasured warm-up pod). */
const SAMPLES = Number(process.env.BENCH_PODS ?? 100);
/** Bare-node baseline runs. */
const BASELINE_RUNS = 10;
/** Idle pods Running for the density measurement (the kubelet's default max-pods). */
const DENSITY_PODS = 110;
/** Node subnet of the bench (node IP 127.1.70.1, pod IPs 127.64.70.x). */
const SUBNET = 70;
const POD_READY_TIMEOUT_MS = 15_000;
const BASELINE_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 300_000;
const MODULE = join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'build', 'hello-http-v1.wasm');
const RESULTS = join(repoRoot, 'apps', 'kubelet', 'bench', 'wasm-results.json');

const TARGET_START_P99_MS = 100;
const TARGET_MB_PER_POD = 20;
const K8S_SLO_P99_MS = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Summary {
  name: string;
  samples: number;
  p50: number;
  p99: number;
  mean: number;
}

function summarize(name: string, samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, samples: samples.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves each pod's waiter when a watch event shows it Ready. */
function readyWatcher(c: KubeletCluster, signal: AbortSignal): (name: string) => Promise<void> {
  const waiters = new Map<string, () => void>();
  void (async () => {
    for await (const ev of pods(c).watch({ namespace: 'default', signal })) {
      if (ev.type !== 'BOOKMARK' && isReady(ev.object as Pod)) waiters.get(ev.object.metadata.name ?? '')?.();
    }
  })().catch(() => undefined);
  return (name) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pod ${name} not Ready within ${POD_READY_TIMEOUT_MS} ms`)), POD_READY_TIMEOUT_MS);
      waiters.set(name, () => {
        clearTimeout(timer);
        waiters.delete(name);
        resolve();
      });
    });
}

/** Creates `names` one after another, each waited to Ready; returns create → Ready per pod. */
async function createPods(c: KubeletCluster, names: string[]): Promise<number[]> {
  const ctrl = new AbortController();
  const ready = readyWatcher(c, ctrl.signal);
  await sleep(100); // let the watch open before the first create
  const out: number[] = [];
  try {
    for (const name of names) {
      const done = ready(name);
      const t0 = performance.now();
      await pods(c).create(httpPod(c, name));
      await done;
      out.push(performance.now() - t0);
    }
  } finally {
    ctrl.abort();
  }
  return out;
}

/** A crude WAGI host in a bare Node process: compile once, instantiate per request with node:wasi. */
const BASELINE_SCRIPT = `
import { readFileSync, openSync, closeSync, unlinkSync, fstatSync, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
const mod = await WebAssembly.compile(readFileSync(process.env.BENCH_MODULE));
let n = 0;
const server = createServer((req, res) => {
  const file = join(tmpdir(), 'kite-wagi-' + process.pid + '-' + n++);
  const fd = openSync(file, 'w+');
  unlinkSync(file); // stdout lives only as long as the fd
  try {
    const wasi = new WASI({ version: 'preview1', args: ['hello-http'], env: { POD_NAME: 'baseline', REQUEST_METHOD: req.method, PATH_INFO: req.url }, stdout: fd, returnOnExit: true });
    const inst = new WebAssembly.Instance(mod, wasi.getImportObject());
    wasi.start(inst);
    const out = Buffer.alloc(fstatSync(fd).size);
    readSync(fd, out, 0, out.length, 0);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(out);
  } catch (e) {
    res.writeHead(500).end(String(e));
  } finally {
    closeSync(fd);
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** Spawn → first successful HTTP answer of the bare-node WAGI host. */
async function baselineRun(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', BASELINE_SCRIPT], {
    env: { ...process.env, BENCH_MODULE: MODULE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`baseline printed no port within ${BASELINE_TIMEOUT_MS} ms: ${stderr}`)), BASELINE_TIMEOUT_MS);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /^(\d+)\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`baseline exited with ${code}: ${stderr}`)));
    });
    const deadline = Date.now() + BASELINE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        const body = await res.text();
        if (res.ok && body.includes('hello from baseline')) return performance.now() - t0;
      } catch {
        // not answering yet
      }
      await sleep(2);
    }
    throw new Error(`baseline did not answer within ${BASELINE_TIMEOUT_MS} ms`);
  } finally {
    child.kill('SIGKILL');
  }
}

/** VmRSS of a process, in bytes. */
function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

async function daemonPid(c: KubeletCluster): Promise<number> {
  const file = daemonPaths(join(c.rootDir, c.nodeName), 'wasm').pidFile;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid > 0) return pid;
    }
    await sleep(50);
  }
  throw new Error(`no wasm daemon pid file at ${file}`);
}

interface Memory {
  kubeletBytes: number;
  daemonBytes: number;
}

async function memory(c: KubeletCluster, pid: number): Promise<Memory> {
  await sleep(1000); // let the processes settle
  const kubeletPid = c.kubelet.child.pid;
  if (kubeletPid === undefined) throw new Error('kubelet has no pid');
  return { kubeletBytes: rssBytes(kubeletPid), daemonBytes: rssBytes(pid) };
}

async function waitAllRunning(c: KubeletCluster, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await pods(c).list({ namespace: 'default' });
    if (list.items.filter((p) => p.status?.phase === 'Running').length >= count) return;
    await sleep(200);
  }
  throw new Error(`${count} pods not all Running within 30 s`);
}

async function deleteAll(c: KubeletCluster, names: string[]): Promise<void> {
  await Promise.all(names.map((n) => pods(c).delete(n, { namespace: 'default' }).catch(() => undefined)));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const left = (await pods(c).list({ namespace: 'default' }).catch(() => undefined))?.items.length ?? 0;
    if (left === 0) return;
    await sleep(250);
  }
  console.error('some pods were still present 20 s after delete; stopping the cluster anyway');
}

const MB = 1024 * 1024;
const fmt = (n: number) => n.toFixed(1).padStart(9);

async function main(): Promise<void> {
  for (const app of ['apiserver', 'kubelet']) {
    if (!existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js'))) throw new Error(`apps/${app} is not built: run npm run build first`);
  }
  if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: build examples/wasm-pods first`);

  const baseline: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) baseline.push(await baselineRun());

  const c = await startKubeletCluster(SUBNET);
  const created: string[] = [];
  try {
    const dpid = await daemonPid(c);
    const before = await memory(c, dpid);

    // One pod first, unmeasured: warms the kubelet's, the daemon's and the apiserver's code paths.
    const names = ['wasm-warm-up', ...Array.from({ length: SAMPLES }, (_, i) => `wasm-${i + 1}`)];
    created.push(...names);
    const startups = (await createPods(c, names)).slice(1);

    const extra = Array.from({ length: Math.max(0, DENSITY_PODS - names.length) }, (_, i) => `wasm-idle-${i + 1}`);
    created.push(...extra);
    await createPods(c, extra);
    await waitAllRunning(c, created.length);
    const after = await memory(c, dpid);

    const start = summarize('Wasm pod create → Ready (kubelet)', startups);
    const base = summarize('bare node WAGI spawn → first answer', baseline);
    const deltaBytes = after.kubeletBytes + after.daemonBytes - (before.kubeletBytes + before.daemonBytes);
    const perPodMB = deltaBytes / created.length / MB;

    console.log(`\nWasm pods: start-up (ms)`);
    console.log(`${'measure'.padEnd(40)}${'n'.padStart(5)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'mean'.padStart(9)}`);
    for (const s of [start, base]) console.log(`${s.name.padEnd(40)}${String(s.samples).padStart(5)}${fmt(s.p50)}${fmt(s.p99)}${fmt(s.mean)}`);
    console.log(`\nDensity: ${created.length} idle pods Running`);
    console.log(`${'process'.padEnd(40)}${'before MB'.padStart(11)}${'after MB'.padStart(11)}`);
    console.log(`${'kubelet'.padEnd(40)}${(before.kubeletBytes / MB).toFixed(1).padStart(11)}${(after.kubeletBytes / MB).toFixed(1).padStart(11)}`);
    console.log(`${'wasm runtime daemon'.padEnd(40)}${(before.daemonBytes / MB).toFixed(1).padStart(11)}${(after.daemonBytes / MB).toFixed(1).padStart(11)}`);

    const targets = {
      startP99: { target: `≤ ${TARGET_START_P99_MS} ms`, value: start.p99, met: start.p99 <= TARGET_START_P99_MS },
      memoryPerPod: { target: `≤ ${TARGET_MB_PER_POD} MB`, value: perPodMB, met: perPodMB <= TARGET_MB_PER_POD },
      k8sStartupSlo: { target: `p99 ≤ ${K8S_SLO_P99_MS} ms`, value: start.p99, met: start.p99 <= K8S_SLO_P99_MS },
    };
    console.log(`\ntargets`);
    console.log(`  pod start p99 ${start.p99.toFixed(1)} ms (target ≤ ${TARGET_START_P99_MS} ms) → ${targets.startP99.met ? 'MET' : 'MISSED'}; baseline p99 ${base.p99.toFixed(1)} ms`);
    console.log(`  memory per idle pod ${perPodMB.toFixed(2)} MB (target ≤ ${TARGET_MB_PER_POD} MB) → ${targets.memoryPerPod.met ? 'MET' : 'MISSED'}`);
    console.log(`  Kubernetes pod-startup SLO p99 ≤ ${K8S_SLO_P99_MS / 1000} s → ${targets.k8sStartupSlo.met ? 'MET' : 'MISSED'}`);
    console.log(`\nmedians: pod start ${start.p50.toFixed(1)} ms, bare-node baseline ${base.p50.toFixed(1)} ms`);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      module: 'examples/wasm-pods/hello-http/build/hello-http-v1.wasm',
      podStartMs: { ...start, samplesMs: startups.map((x) => Math.round(x * 100) / 100) },
      baselineMs: { ...base, samplesMs: baseline.map((x) => Math.round(x * 100) / 100) },
      density: { pods: created.length, before, after, deltaBytes, perPodMB },
      targets,
    };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${RESULTS}`);
  } finally {
    await deleteAll(c, created);
    await c.stop();
  }
}

const deadline = setTimeout(() => {
  console.error(`benchmark did not finish within ${RUN_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
deadline.unref();
await main();
