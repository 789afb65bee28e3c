// `npm run bench -w @kite/kubelet`: Docker pod start-up latency. Pods are created one at a time
// on a real apiserver + kubelet (`--runtimes docker`) and timed from create to Ready (seen on a
// watch); in the same run and on the same engine, the baselines are `docker run` of the same
// image and command (create + start + inspect until running, through the Engine API) and the
// start of a bare pod sandbox (the pause container with its port published on a pod IP).
// Target: pod p50 ≤ 1.3 × docker-run p50 + sandbox p50. For the breakdown, the same kubelet also
// offers the hollow runtime (containers that start instantly): a hollow pod's create → Ready is
// what the kubelet and apiserver add to any runtime's own start.
// Needs dockerd, redis-server and the built apiserver and kubelet (`npm run build`). Bounded:
// every wait has a timeout and the whole run stops after RUN_TIMEOUT_MS.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { PodResource, type Pod } from '@kite/api-types';
import { repoRoot } from '@kite/testing';
import { pingEngine } from '../src/runtime/docker/engine.js';
import { DEFAULT_SANDBOX_IMAGE, SANDBOX_COMMAND } from '../src/runtime/docker/sandbox-spec.js';
import { isReady } from '../test/helpers.js';
import { dockerPod, httpd, startDockerCluster, TEST_LABEL, type DockerCluster } from '../test/docker/support.js';

/** Pods (and baseline runs) measured. */
const SAMPLES = Number(process.env.BENCH_PODS ?? 20);
/** Node subnet of the bench (pod IPs 127.64.67.x). */
const SUBNET = 67;
const POD_READY_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 300_000;
/** The workload: busybox httpd in the foreground, the same for pods and `docker run`. */
const COMMAND = httpd(8080, '/');
const TARGET_FACTOR = 1.3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Summary {
  name: string;
  p50: number;
  p99: number;
  mean: number;
}

function summarize(name: string, samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** `docker run -d IMAGE CMD` through the API: create, start, inspect until it runs. */
async function dockerRun(docker: Dockerode, image: string, opts: Dockerode.ContainerCreateOptions): Promise<number> {
  const t0 = performance.now();
  const container = await docker.createContainer({ Image: image, Labels: { [TEST_LABEL]: 'true' }, ...opts });
  await container.start();
  while (!(await container.inspect()).State.Running) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - t0;
  await container.remove({ force: true });
  return ms;
}

async function baselines(docker: Dockerode, image: string): Promise<{ run: number[]; sandbox: number[] }> {
  const run: number[] = [];
  const sandbox: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    run.push(await dockerRun(docker, image, { Cmd: COMMAND }));
    const ports = { PortBindings: { '8080/tcp': [{ HostIp: `127.64.${SUBNET}.250`, HostPort: '8080' }] }, IpcMode: 'shareable' };
    sandbox.push(await dockerRun(docker, DEFAULT_SANDBOX_IMAGE, { Cmd: SANDBOX_COMMAND, ExposedPorts: { '8080/tcp': {} }, HostConfig: ports }));
  }
  return { run, sandbox };
}

/** Resolves each pod's waiter when a watch event shows it Ready. */
function readyWatcher(c: DockerCluster, signal: AbortSignal): (name: string) => Promise<void> {
  const waiters = new Map<string, () => void>();
  void (async () => {
    for await (const ev of c.client.resource(PodResource).watch({ namespace: 'default', signal })) {
      if (ev.type !== 'BOOKMARK' && isReady(ev.object as Pod)) waiters.get(ev.object.metadata.name ?? '')?.();
    }
  })().catch(() => undefined);
  return (name) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pod ${name} not Ready within ${POD_READY_TIMEOUT_MS} ms`)), POD_READY_TIMEOUT_MS);
      waiters.set(name, () => {
        clearTimeout(timer);
        resolve();
      });
    });
}

async function podStartups(c: DockerCluster, runtime: 'docker' | 'hollow'): Promise<number[]> {
  const ctrl = new AbortController();
  const ready = readyWatcher(c, ctrl.signal);
  const pod = (name: string) => dockerPod(c, name, [{ name: 'web', command: COMMAND, ports: [{ containerPort: 8080 }] }], { terminationGracePeriodSeconds: 0, runtimeClassName: runtime });
  const out: number[] = [];
  try {
    // One pod first, unmeasured: warms the kubelet's and the apiserver's code paths.
    for (let i = 0; i <= SAMPLES; i++) {
      const name = `${runtime}-${i === 0 ? 'warm-up' : i}`;
      const done = ready(name);
      const t0 = performance.now();
      await c.client.resource(PodResource).create(pod(name));
      await done;
      if (i > 0) out.push(performance.now() - t0);
    }
  } finally {
    ctrl.abort();
  }
  return out;
}

function report(run: Summary, sandbox: Summary, pods: Summary, hollow: Summary): boolean {
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\nDocker pod start-up, ${SAMPLES} samples each (ms)`);
  console.log(`${'measure'.padEnd(40)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'mean'.padStart(8)}`);
  for (const s of [run, sandbox, pods, hollow]) console.log(`${s.name.padEnd(40)}${fmt(s.p50)}${fmt(s.p99)}${fmt(s.mean)}`);
  const target = TARGET_FACTOR * run.p50 + sandbox.p50;
  const ok = pods.p50 <= target;
  console.log(`\ntarget: pod p50 ≤ ${TARGET_FACTOR} × docker run p50 + sandbox p50 = ${target.toFixed(1)} ms → ${ok ? 'MET' : 'MISSED'} (pod p50 ${pods.p50.toFixed(1)} ms, ${(pods.p50 / target).toFixed(2)} of target)`);
  return ok;
}

async function main(): Promise<void> {
  for (const app of ['apiserver', 'kubelet']) {
    if (!existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js'))) throw new Error(`apps/${app} is not built: run npm run build first`);
  }
  const docker = new Dockerode();
  await pingEngine(docker).catch((err: unknown) => Promise.reject(new Error(`no Docker engine (${(err as Error).message}); run scripts/install-prereqs.sh`)));
  const c = await startDockerCluster(SUBNET, 'docker,hollow');
  try {
    const base = await baselines(docker, c.image);
    const pods = await podStartups(c, 'docker');
    const hollow = await podStartups(c, 'hollow');
    const summaries = [summarize('docker run (create+start+running)', base.run), summarize('sandbox container start', base.sandbox)] as const;
    report(...summaries, summarize('pod create → Ready', pods), summarize('hollow pod create → Ready (kubelet path)', hollow));
  } finally {
    await c.stop();
  }
}

const deadline = setTimeout(() => {
  console.error(`benchmark did not finish within ${RUN_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
deadline.unref();
await main();
