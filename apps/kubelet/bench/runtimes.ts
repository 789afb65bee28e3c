// `npm run bench:runtimes -w @kite/kubelet`: pod start latency and idle memory per pod of three
// runtimes behind the same runtime interface, in the same run:
// - `wasm`: the built-in Wasm runtime daemon (a worker thread per container), over its socket;
// - `wasmer`: the @wasmer/sdk plugin (apps/runtime-wasmer, a child process per container), over
//   the same protocol;
// - `docker`: the Docker runtime (a pause sandbox plus a container per pod) on the local engine.
// A "pod start" is what the kubelet asks for a new pod: runPodSandbox + createContainer +
// startContainer, timed until startContainer answers (the container runs). The workload idles:
// for Wasm, a WASI module that sleeps in poll_oneoff (built below, a few dozen bytes); for Docker,
// `sleep` in the busybox pause image the runtime already builds. Idle memory per pod: with
// IDLE_PODS pods running, the growth of the resident memory of the runtime's processes (the
// daemon; the plugin and its children; dockerd, containerd and the shims with their containers)
// over the same processes with none, divided by IDLE_PODS.
// Needs the built kubelet and runtime-wasmer (`npm run build`) and dockerd. Bounded in count
// (SAMPLES starts per runtime) and time (RUN_TIMEOUT_MS).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@kite/component-base';
import { RemoteRuntime, type ContainerRuntime } from '@kite/cri';
import { repoRoot, startApp, waitFor, type AppProcess } from '@kite/testing';
import { connectDockerRuntime } from '../src/runtime/docker/connect.js';
import { DEFAULT_SANDBOX_IMAGE, SANDBOX_COMMAND } from '../src/runtime/docker/sandbox-spec.js';
import { pathToFileURL } from 'node:url';
import type * as DaemonApi from '../src/runtime/remote/daemon.js';

type DaemonModule = typeof DaemonApi;
/** From the build: the daemon module starts its entry point beside itself, and only dist/ has it. */
const daemonModule = (): Promise<DaemonModule> => import(pathToFileURL(join(repoRoot, 'apps', 'kubelet', 'dist', 'runtime', 'remote', 'daemon.js')).href) as Promise<DaemonModule>;

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const IDLE_PODS = Number(process.env.BENCH_IDLE_PODS ?? 10);
const RUN_TIMEOUT_MS = 600_000;
/** Pod IPs 127.64.148.x: no other bench or test uses this subnet. */
const SUBNET = 148;

// ---- the idle Wasm module ---------------------------------------------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
};
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s)];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/**
 * `_start` sleeps an hour at a time in WASI poll_oneoff, forever: one clock subscription at
 * address 0 (userdata 0, tag 0 = clock, clock id 1 = monotonic at 16, relative timeout at 24).
 */
function idleModule(): Uint8Array {
  const I32 = 0x7f;
  const types = section(1, [2, 0x60, 4, I32, I32, I32, I32, 1, I32, 0x60, 0, 0]);
  const imports = section(2, [1, ...name('wasi_snapshot_preview1'), ...name('poll_oneoff'), 0x00, 0]);
  const funcs = section(3, [1, 1]);
  const memory = section(5, [1, 0x00, 1]);
  const exports = section(7, [2, ...name('memory'), 0x02, 0, ...name('_start'), 0x00, 1]);
  const code = [
    0x00, // no locals
    0x41, ...sleb(16n), 0x41, ...sleb(1n), 0x36, 2, 0, // i32.store clock id
    0x41, ...sleb(24n), 0x42, ...sleb(3_600_000_000_000n), 0x37, 3, 0, // i64.store timeout (ns)
    0x03, 0x40, // loop
    0x41, ...sleb(0n), 0x41, ...sleb(64n), 0x41, ...sleb(1n), 0x41, ...sleb(128n), 0x10, 0, 0x1a, // poll_oneoff(0, 64, 1, 128); drop
    0x0c, 0, // br 0
    0x0b, 0x0b,
  ];
  const codeSec = section(10, [1, ...uleb(code.length), ...code]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...memory, ...exports, ...codeSec]);
}

// ---- memory of process trees ------------------------------------------------------------------

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      out.push({ pid: Number(d), ppid, comm });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Resident memory (kB) of the processes `roots` picks and all their descendants. */
function treeRssKb(roots: (p: Proc) => boolean): number {
  const all = processes();
  const picked = new Set(all.filter(roots).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!picked.has(p.pid) && picked.has(p.ppid)) {
        picked.add(p.pid);
        grew = true;
      }
    }
  }
  return [...picked].reduce((sum, pid) => sum + rssKb(pid), 0);
}

// ---- the runtimes -----------------------------------------------------------------------------

interface Subject {
  name: string;
  runtime: ContainerRuntime;
  image: string;
  command: string[];
  /** Resident memory of everything that runs this runtime's pods, in kB. */
  memoryKb(): number;
  close(): Promise<void>;
}

async function subjects(dir: string, moduleDir: string): Promise<Subject[]> {
  const log = createLogger('bench').child({ bench: 'runtimes' });
  const { connectWasmDaemon, daemonPaths, stopDaemon } = await daemonModule();
  const wasmRoot = join(dir, 'wasm');
  const wasm = await connectWasmDaemon(wasmRoot, [moduleDir], log);
  const daemonPid = Number(readFileSync(daemonPaths(wasmRoot, 'wasm').pidFile, 'utf8'));
  const socket = join(dir, 'wasmer.sock');
  const plugin: AppProcess = startApp('runtime-wasmer', ['--socket', socket, '--root-dir', join(dir, 'wasmer'), '--image-cache', join(dir, 'wasmer-images'), '--image-path', moduleDir]);
  await waitFor(() => existsSync(socket), { timeoutMs: 15_000, message: 'the wasmer plugin socket' });
  const wasmer = new RemoteRuntime({ name: 'wasmer', socketPath: socket });
  await wasmer.connect();
  const pluginPid = plugin.child.pid ?? -1;
  const docker = await connectDockerRuntime({ nodeName: `bench-${SUBNET}`, rootDir: join(dir, 'docker') }, log);
  if (!docker) throw new Error('no Docker engine: run scripts/install-prereqs.sh');
  const engine = new Set(['dockerd', 'containerd']);
  return [
    { name: 'wasm (built-in daemon)', runtime: wasm, image: 'idle.wasm', command: [], memoryKb: () => rssKb(daemonPid), close: async () => { await wasm.close(); stopDaemon(wasmRoot, 'wasm'); } },
    { name: 'wasmer (plugin)', runtime: wasmer, image: 'idle.wasm', command: [], memoryKb: () => treeRssKb((p) => p.pid === pluginPid), close: async () => { await wasmer.close(); await plugin.stop(); } },
    // The shims (and the containers under them) plus the engine's own daemons.
    { name: 'docker', runtime: docker, image: DEFAULT_SANDBOX_IMAGE, command: SANDBOX_COMMAND, memoryKb: () => treeRssKb((p) => engine.has(p.comm) || p.comm.startsWith('containerd-shim')), close: () => docker.close() },
  ];
}

let podSeq = 0;

/** One pod as the kubelet starts it; returns its sandbox id and the time it took. */
async function startPod(s: Subject, dir: string): Promise<{ sandbox: string; ms: number }> {
  const n = podSeq++;
  const t0 = performance.now();
  const sandbox = await s.runtime.runPodSandbox({ uid: `bench-${n}`, name: `bench-${n}`, namespace: 'bench', podIP: `127.64.${SUBNET}.${2 + (n % 250)}`, logDirectory: join(dir, 'logs', String(n)) });
  const id = await s.runtime.createContainer(sandbox, { name: 'main', image: s.image, command: s.command, args: [], env: [], mounts: [], ports: [], logPath: 'main/0.log' });
  await s.runtime.startContainer(id);
  return { sandbox, ms: performance.now() - t0 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 2_000));
}

async function main(): Promise<void> {
  for (const app of ['kubelet', 'runtime-wasmer']) {
    if (!existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js'))) throw new Error(`apps/${app} is not built: run npm run build first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-runtimes-'));
  const moduleDir = join(dir, 'modules');
  mkdirSync(moduleDir, { recursive: true });
  writeFileSync(join(moduleDir, 'idle.wasm'), idleModule());
  const all = await subjects(dir, moduleDir);
  const results: Array<{ name: string; p50: number; p99: number; mean: number; idleKbPerPod: number }> = [];
  try {
    // Docker's image is the pause image its first sandbox builds locally (no registry here).
    for (const s of all) await s.runtime.pullImage(s.image).catch(() => undefined);
    // Warm-up (unmeasured): first compile, first sandbox image use.
    for (const s of all) await s.runtime.removePodSandbox((await startPod(s, dir)).sandbox);
    const starts = new Map<string, number[]>(all.map((s) => [s.name, []]));
    // Interleaved, sample by sample, so drift on the machine hits every runtime alike.
    for (let i = 0; i < SAMPLES; i++) {
      for (const s of all) {
        const { sandbox, ms } = await startPod(s, dir);
        starts.get(s.name)?.push(ms);
        await s.runtime.removePodSandbox(sandbox);
      }
    }
    for (const s of all) {
      await settle();
      const before = s.memoryKb();
      const sandboxes: string[] = [];
      for (let i = 0; i < IDLE_PODS; i++) sandboxes.push((await startPod(s, dir)).sandbox);
      await settle();
      const after = s.memoryKb();
      for (const id of sandboxes) await s.runtime.removePodSandbox(id);
      const sorted = [...(starts.get(s.name) ?? [])].sort((a, b) => a - b);
      results.push({ name: s.name, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, idleKbPerPod: (after - before) / IDLE_PODS });
    }
  } finally {
    for (const s of all) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  console.log(`\nPod start (sandbox + create + start, ms; ${SAMPLES} samples each, interleaved) and idle memory per pod (${IDLE_PODS} idle pods)`);
  console.log(`${'runtime'.padEnd(26)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'mean'.padStart(9)}${'MiB/pod'.padStart(9)}`);
  for (const r of results) console.log(`${r.name.padEnd(26)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.mean)}${fmt(r.idleKbPerPod / 1024)}`);
  const [wasm, wasmer, docker] = results;
  if (wasm && wasmer && docker) {
    console.log(`\nratios (p50 start): wasmer/wasm ${(wasmer.p50 / wasm.p50).toFixed(2)}, docker/wasm ${(docker.p50 / wasm.p50).toFixed(2)}, docker/wasmer ${(docker.p50 / wasmer.p50).toFixed(2)}`);
    console.log(`ratios (idle memory): wasmer/wasm ${(wasmer.idleKbPerPod / wasm.idleKbPerPod).toFixed(2)}, docker/wasm ${(docker.idleKbPerPod / wasm.idleKbPerPod).toFixed(2)}`);
  }
  writeFileSync(join(repoRoot, 'apps', 'kubelet', 'bench', 'runtimes-results.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, samples: SAMPLES, idlePods: IDLE_PODS, results }, null, 2)}\n`);
}

const deadline = setTimeout(() => {
  console.error(`benchmark did not finish within ${RUN_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
