// The two workloads the cold-start benchmark compares, each a Deployment at 0 replicas annotated
// for scale from zero, behind its own Service:
// - Wasm: examples/wasm-pods/hello-http as its manifest has it;
// - Docker: the equivalent on the Docker runtime — busybox httpd serving "hello from POD", from an
//   image built locally (no registry is reachable: BRIEF §7), with the same readiness probe path
//   semantics (an HTTP GET on :8080).
// Both readiness probes run every PROBE_PERIOD_SECONDS, so a first probe that comes before the
// server listens costs the same at most on either side. The annotation is long (IDLE): the
// benchmark scales to zero itself between samples; the controller must not race it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment, Service } from '@kite/api-types';
import { zeroDeployment, zeroService } from '../../test/support/zero-cluster.js';

/** Longer than any run: the benchmark, not the controller, scales the Deployments to zero. */
const IDLE = '1h';
export const PROBE_PERIOD_SECONDS = 1;
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];
const APPLETS = ['sh', 'httpd', 'echo', 'mkdir'];
const IMAGE = 'kite-bench/busybox-httpd:cold';

export interface Workload {
  name: string;
  runtime: 'wasm' | 'docker';
  deployment: Deployment;
  service: Service;
  /** What a correct answer looks like. */
  body: RegExp;
}

type Spec = Parameters<NonNullable<Parameters<typeof zeroDeployment>[2]>>[0];

const probe = { httpGet: { path: '/', port: 8080 }, periodSeconds: PROBE_PERIOD_SECONDS };

export function wasmWorkload(): Workload {
  const name = 'cold-wasm';
  const deployment = zeroDeployment(name, IDLE, (s: Spec) => ({ ...s, containers: s.containers.map((c) => ({ ...c, readinessProbe: { ...c.readinessProbe, periodSeconds: PROBE_PERIOD_SECONDS } })) }));
  return { name, runtime: 'wasm', deployment, service: zeroService(name), body: /^hello from cold-wasm-\S+ version v1\n$/ };
}

export function dockerWorkload(image: string): Workload {
  const name = 'cold-docker';
  const serve = ['sh', '-c', 'echo "hello from $POD_NAME" > /www/index.html && exec httpd -f -p 8080 -h /www'];
  const deployment = zeroDeployment(name, IDLE, (s: Spec) => ({
    ...s,
    runtimeClassName: 'docker',
    containers: s.containers.map((c) => ({ name: c.name, image, command: serve, ports: c.ports, env: c.env, readinessProbe: probe })),
  }));
  return { name, runtime: 'docker', deployment, service: zeroService(name), body: /^hello from cold-docker-\S+\n$/ };
}

/** Builds the Docker workload's image on the engine (`docker import` of a busybox rootfs); returns its removal. */
export function buildDockerImage(): { image: string; remove: () => void } {
  const busybox = BUSYBOX.find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!busybox) throw new Error('no busybox found: apt-get install -y busybox-static');
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-rootfs-'));
  try {
    for (const d of ['bin', 'www', 'tmp']) mkdirSync(join(dir, d));
    copyFileSync(busybox, join(dir, 'bin', 'busybox'));
    for (const a of APPLETS) symlinkSync('busybox', join(dir, 'bin', a));
    const r = spawnSync('sh', ['-c', `tar -C '${dir}' -c . | docker import - ${IMAGE}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`docker import failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { image: IMAGE, remove: () => void spawnSync('docker', ['rmi', '-f', IMAGE]) };
}
