// HorizontalPodAutoscaler benchmark (issue 13; a measurement, not a test). A real cluster (redis,
// apiserver over TLS, scheduler, controller manager, one kubelet running Wasm pods) holds a
// Deployment of examples/wasm-pods hello-http (CPU request 20m) under an HPA with a 50% CPU target,
// min 1, max 4. Each run: bounded HTTP load on the pods' IPs until the new replicas are Ready, then
// the load stops and the HPA scales back to 1. It reports, per configuration,
//   decision   — load start until the HPA writes more replicas;
//   ready      — load start until every replica it asked for is Ready;
//   down       — load stop until the Deployment is back at 1 (the downscale window is 5 s here);
// beside the baseline measured in the same cluster: a manual scale to the same count (PUT of the
// scale subresource, as `kubectl scale` does) until those replicas are Ready, the floor any
// autoscaler sits on. Two configurations: the defaults users run (--metric-resolution 15s,
// --horizontal-pod-autoscaler-sync-period 15s), and short periods (1s, 1s) to show the control
// loop's own cost.
//
//   npm run bench:hpa -w @kite/controller [-- --runs 3 --short-runs 5]
//
// Bounded: load per run at most LOAD_MAX_MS, a watchdog ends the run if anything hangs.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeploymentResource, HorizontalPodAutoscalerResource, PodResource, type HorizontalPodAutoscaler, type Pod } from '@kite/api-types';
import { httpLoad, repoRoot, waitFor } from '@kite/testing';
import { startHpaCluster, type HpaCluster } from '../test/helpers/hpa-cluster.js';
import { webDeployment } from '../test/helpers/hpa-workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The benchmark's own node (127.1.91.1) and pods (127.64.91.0/24). */
const SUBNET = 91;
const NS = 'default';
const NAME = 'web';
const MIN = 1;
const MAX = 4;
const LOAD_MAX_MS = 120_000;
const LOAD_CONCURRENCY = 8;
const SETTLE_TIMEOUT_MS = 180_000;
const WATCHDOG_PER_RUN_MS = 300_000;

interface Config {
  name: string;
  metricResolution: string;
  syncPeriod: string;
  runs: number;
}

interface Run {
  decisionMs: number;
  readyMs: number;
  downMs: number;
  replicas: number;
  requests: number;
  manualReadyMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const isReady = (p: Pod) => !p.metadata.deletionTimestamp && !!p.status?.podIP && !!p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');

async function readyPods(c: HpaCluster): Promise<Pod[]> {
  return (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `app=${NAME}` })).items.filter(isReady);
}

const specReplicas = async (c: HpaCluster) => (await c.client.resource(DeploymentResource).get(NAME, { namespace: NS })).spec?.replicas ?? 1;

async function settleAt(c: HpaCluster, n: number, what: string): Promise<void> {
  await waitFor(async () => (await specReplicas(c)) === n && (await readyPods(c)).length === n, { timeoutMs: SETTLE_TIMEOUT_MS, message: what });
}

/** Sets the Deployment's replicas through the scale subresource and times until that many are Ready. */
async function manualScale(c: HpaCluster, n: number): Promise<number> {
  const deployments = c.client.resource(DeploymentResource);
  const started = performance.now();
  await deployments.patchScale(NAME, { spec: { replicas: n } }, { namespace: NS, type: 'merge' });
  await waitFor(async () => (await readyPods(c)).length >= n, { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 10, message: `${n} ready after a manual scale` });
  return performance.now() - started;
}

function hpa(): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: NAME, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
      minReplicas: MIN,
      maxReplicas: MAX,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  };
}

async function oneRun(c: HpaCluster): Promise<Run> {
  const hpas = c.client.resource(HorizontalPodAutoscalerResource);
  await settleAt(c, MIN, 'the Deployment at minReplicas before the run');
  // The HPA must have read metrics (ScalingActive) before the load starts, or the run would time its first read.
  await waitFor(async () => (await hpas.get(NAME, { namespace: NS })).status?.conditions?.some((x) => x.type === 'ScalingActive' && x.status === 'True'), { timeoutMs: SETTLE_TIMEOUT_MS, message: 'ScalingActive True' });
  const started = performance.now();
  let decisionMs = NaN;
  let readyMs = NaN;
  let wanted = MIN;
  const requests = await httpLoad({
    targets: async () => (await readyPods(c)).map((p) => `http://${p.status?.podIP ?? ''}:8080/`),
    until: async () => {
      wanted = await specReplicas(c);
      if (wanted > MIN && Number.isNaN(decisionMs)) decisionMs = performance.now() - started;
      if (wanted > MIN && (await readyPods(c)).length >= wanted) readyMs = performance.now() - started;
      return !Number.isNaN(readyMs);
    },
    maxMs: LOAD_MAX_MS,
    concurrency: LOAD_CONCURRENCY,
  });
  if (Number.isNaN(readyMs)) throw new Error(`no scale-up within ${LOAD_MAX_MS} ms of load (${requests} requests)`);
  const stopped = performance.now();
  await settleAt(c, MIN, 'back at minReplicas after the load');
  const downMs = performance.now() - stopped;
  // The baseline: the same scale-up by hand, then back to MIN by hand, with the HPA out of the way.
  await hpas.delete(NAME, { namespace: NS });
  const manualReadyMs = await manualScale(c, wanted);
  await manualScale(c, MIN);
  await settleAt(c, MIN, 'back at minReplicas after the manual scale');
  await hpas.create(hpa());
  return { decisionMs, readyMs, downMs, replicas: wanted, requests, manualReadyMs };
}

async function runConfig(cfg: Config): Promise<Run[]> {
  const c = await startHpaCluster({
    subnet: SUBNET,
    metricResolution: cfg.metricResolution,
    controllers: ['replicaset', 'deployment', 'horizontalpodautoscaling'],
    managerArgs: ['--horizontal-pod-autoscaler-sync-period', cfg.syncPeriod, '--horizontal-pod-autoscaler-downscale-stabilization', '5s'],
  });
  try {
    const yamlText = readFileSync(join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'deployment.yaml'), 'utf8');
    await c.client.resource(DeploymentResource).create(webDeployment(yamlText, { name: NAME, namespace: NS, replicas: MIN }));
    await c.client.resource(HorizontalPodAutoscalerResource).create(hpa());
    const runs: Run[] = [];
    for (let i = 0; i < cfg.runs; i++) {
      const r = await oneRun(c);
      runs.push(r);
      console.log(
        `${cfg.name} #${i + 1}: decision ${(r.decisionMs / 1000).toFixed(1)} s, ready ${(r.readyMs / 1000).toFixed(1)} s (${r.replicas} replicas, ${r.requests} requests), ` +
          `down ${(r.downMs / 1000).toFixed(1)} s; manual scale to ${r.replicas} ready in ${r.manualReadyMs.toFixed(0)} ms`,
      );
    }
    return runs;
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: 'string' }, 'short-runs': { type: 'string' } } });
  const configs: Config[] = [
    { name: 'defaults (resolution 15s, sync 15s)', metricResolution: '15s', syncPeriod: '15s', runs: Number(values.runs ?? 3) },
    { name: 'short (resolution 1s, sync 1s)', metricResolution: '1s', syncPeriod: '1s', runs: Number(values['short-runs'] ?? 5) },
  ];
  const budget = configs.reduce((n, c) => n + c.runs, 0) * WATCHDOG_PER_RUN_MS;
  const watchdog = setTimeout(() => {
    console.error(`watchdog: the benchmark ran past ${budget / 1000} s; aborting`);
    process.exit(2);
  }, budget);
  watchdog.unref();
  const results = [];
  for (const cfg of configs) {
    const runs = await runConfig(cfg);
    const m = {
      decisionMs: median(runs.map((r) => r.decisionMs)),
      readyMs: median(runs.map((r) => r.readyMs)),
      downMs: median(runs.map((r) => r.downMs)),
      manualReadyMs: median(runs.map((r) => r.manualReadyMs)),
    };
    results.push({ config: cfg, medians: m, readyOverManual: m.readyMs / m.manualReadyMs, runs });
  }
  console.log(`\nHPA on Wasm pods, ${cpus().length} cores, node ${process.version} — medians:`);
  for (const r of results) {
    console.log(
      `  ${r.config.name.padEnd(38)} load→decision ${(r.medians.decisionMs / 1000).toFixed(1)} s · load→replicas Ready ${(r.medians.readyMs / 1000).toFixed(1)} s · ` +
        `stop→back at 1 ${(r.medians.downMs / 1000).toFixed(1)} s · baseline manual scale→Ready ${r.medians.manualReadyMs.toFixed(0)} ms (×${r.readyOverManual.toFixed(1)})`,
    );
  }
  const out = join(HERE, 'hpa-results.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, results }, null, 2)}\n`);
  console.log(`results written to ${out}`);
  clearTimeout(watchdog);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
