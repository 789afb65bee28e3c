// Benchmark (not a test): time from `npm run cluster`'s launcher start to all nodes Ready, for 2 and
// 10 nodes, and from `kubectl apply` of the example Deployment and Service to the first request
// answered through the Service. Peers quoted beside them (not measurable here, no registry):
// kind and k3d clusters take tens of seconds to start. The apiserver is reached over HTTPS with
// the kubeconfig the launcher wrote (the admin's credentials), as kubectl reaches it.
//
//   npm run bench -w @kite/launcher                                   (3 rounds of 2 and 10 nodes)
//   BENCH_ROUNDS=1 BENCH_NODES=2 npm run bench -w @kite/launcher      (a quick check)
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ServiceResource } from '@kite/api-types';
import { KubeClient, loadKubeconfig } from '@kite/client';
import { kubectl, repoRoot, waitFor } from '@kite/testing';
import { launch } from '../test/helpers.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Cluster sizes measured, comma-separated. */
const NODE_COUNTS = (process.env.BENCH_NODES ?? '2,10').split(',').map(Number);
const examples = join(repoRoot, 'examples', 'wasm-pods', 'hello-http');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function round(nodes: number, slot: number): Promise<{ readyMs: number; firstRequestMs: number }> {
  const started = performance.now();
  const c = await launch({ nodes, slot });
  const readyMs = performance.now() - started;
  try {
    const applied = performance.now();
    const apply = await kubectl({ kubeconfig: c.kubeconfig, dir: c.home }, 'apply', '-f', join(examples, 'deployment.yaml'), '-f', join(examples, 'service.yaml'));
    if (apply.code !== 0) throw new Error(apply.stderr);
    const services = new KubeClient({ ...loadKubeconfig(c.kubeconfig), userAgent: 'kite-launcher-bench' }).resource(ServiceResource);
    const ip = await waitFor(async () => (await services.get('hello-http', { namespace: 'default' }).catch(() => undefined))?.spec?.clusterIP, { timeoutMs: 30_000, intervalMs: 5 });
    await waitFor(async () => (await fetch(`http://${ip}/`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined))?.ok, { timeoutMs: 60_000, intervalMs: 5, message: 'first request' });
    return { readyMs, firstRequestMs: performance.now() - applied };
  } finally {
    c.proc.child.kill('SIGINT');
    await c.proc.exited;
    await rm(c.stateDir, { recursive: true, force: true });
  }
}

const rows: Array<{ nodes: number; readyMs: number; firstRequestMs: number }> = [];
for (const nodes of NODE_COUNTS) {
  const results = [];
  for (let i = 0; i < ROUNDS; i++) results.push(await round(nodes, 233 + i));
  rows.push({ nodes, readyMs: median(results.map((r) => r.readyMs)), firstRequestMs: median(results.map((r) => r.firstRequestMs)) });
}
console.log(`\nlocal cluster start-up (medians of ${ROUNDS} rounds; launcher process start → all nodes Ready → summary)`);
console.log('nodes | cluster Ready (target ≤ 5 s) | apply → first request via Service (target ≤ 1 s) | peer: kind/k3d start');
for (const r of rows) console.log(`${String(r.nodes).padStart(5)} | ${(r.readyMs / 1000).toFixed(2).padStart(8)} s | ${(r.firstRequestMs / 1000).toFixed(2).padStart(8)} s | tens of seconds`);
