// Job benchmark (issue 12; a measurement, not a test). Job throughput — completions per second —
// for a Job of hollow pods (100 hollow nodes whose run-to-completion pods succeed as soon as they
// run) and for a Job of real Wasm pods (examples/wasm-pods batch on one real kubelet), beside the
// Deployment benchmark's pod creation rate measured in the same hollow cluster in the same run,
// with the ratio job completions/s ÷ Deployment pods created/s.
//   hollow job   — POST of a Job (completions C, parallelism P) until Complete: C / seconds;
//   deployment   — POST of a Deployment of R replicas until all R pods exist: R / seconds;
//   wasm job     — the same Job of Wasm batch pods on a real kubelet: C_w / seconds.
// Prints every run and the medians; writes bench/job-results.json.
//
//   npm run bench:job -w @kite/controller [-- --runs 3 --completions 1000 --parallelism 50
//        --replicas 1000 --nodes 100 --wasm-completions 1000 --wasm-parallelism 50 --timeout 600000]
// Reduced check: --runs 1 --completions 60 --replicas 60 --nodes 5 --wasm-completions 10.
// Loopback only (the Wasm node is 127.1.103.1, its pods 127.64.103.0/24); bounded by --timeout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeploymentResource, JobResource, type Job } from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import { waitFor } from '@kite/testing';
import { batchJob, startJobCluster } from '../test/helpers/job-cluster.js';
import { schedulerBuilt, startBenchCluster } from './cluster.js';
import { benchDeployment, createNamespace, median } from './harness.js';

/** The Wasm node's loopback subnet. */
const WASM_SUBNET = 103;
/** Hollow Job pods succeed as soon as they run. */
const HOLLOW_COMPLETE_AFTER_MS = 0;

interface Options {
  runs: number;
  completions: number;
  parallelism: number;
  replicas: number;
  nodes: number;
  wasmCompletions: number;
  wasmParallelism: number;
  timeoutMs: number;
}

interface Run {
  hollowJobPerSec: number;
  deploymentPodsPerSec: number;
  wasmJobPerSec?: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      completions: { type: 'string', default: '1000' },
      parallelism: { type: 'string', default: '50' },
      replicas: { type: 'string', default: '1000' },
      nodes: { type: 'string', default: '100' },
      'wasm-completions': { type: 'string', default: '1000' },
      'wasm-parallelism': { type: 'string', default: '50' },
      timeout: { type: 'string', default: '600000' },
    },
  });
  const n = (v: string | undefined) => Number(v);
  return {
    runs: n(values.runs),
    completions: n(values.completions),
    parallelism: n(values.parallelism),
    replicas: n(values.replicas),
    nodes: n(values.nodes),
    wasmCompletions: n(values['wasm-completions']),
    wasmParallelism: n(values['wasm-parallelism']),
    timeoutMs: n(values.timeout),
  };
}

const isComplete = (j: Job) => j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') === true;

/** Creates a Job and returns its completions per second, from the POST until Complete. */
async function jobThroughput(client: KubeClient, job: Job, timeoutMs: number): Promise<number> {
  const ns = job.metadata.namespace ?? '';
  const start = performance.now();
  await client.resource(JobResource).create(job);
  await waitFor(async () => isComplete(await client.resource(JobResource).get(job.metadata.name ?? '', { namespace: ns })), { timeoutMs, intervalMs: 100, message: `${job.metadata.name ?? ''} Complete` });
  return (job.spec?.completions ?? 0) / ((performance.now() - start) / 1000);
}

/** Creates a Deployment and returns its pods created per second, from the POST until all exist. */
async function deploymentCreationRate(client: KubeClient, namespace: string, replicas: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  await client.resource(DeploymentResource).create(benchDeployment(namespace, replicas));
  await waitFor(async () => ((await client.resource(DeploymentResource).get('bench', { namespace })).status?.replicas ?? 0) >= replicas, { timeoutMs, intervalMs: 100, message: 'Deployment pods created' });
  return replicas / ((performance.now() - start) / 1000);
}

/** A Job of the hollow pods: one container, restartPolicy Never, nothing mounted. */
function hollowJob(ns: string, o: Options): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'bench', namespace: ns },
    spec: { completions: o.completions, parallelism: o.parallelism, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'batch.wasm' }] } } },
  };
}

async function hollowRuns(o: Options): Promise<Run[]> {
  const c = await startBenchCluster({ nodes: o.nodes, binder: schedulerBuilt() ? 'scheduler' : 'hollow', hollow: { completeAfterMs: HOLLOW_COMPLETE_AFTER_MS } });
  const runs: Run[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      await createNamespace(c.client, `job-${i}`);
      const hollowJobPerSec = await jobThroughput(c.client, hollowJob(`job-${i}`, o), o.timeoutMs);
      await createNamespace(c.client, `deploy-${i}`);
      const deploymentPodsPerSec = await deploymentCreationRate(c.client, `deploy-${i}`, o.replicas, o.timeoutMs);
      runs.push({ hollowJobPerSec, deploymentPodsPerSec });
      console.log(`run ${i + 1}: hollow Job ${hollowJobPerSec.toFixed(1)} completions/s, Deployment ${deploymentPodsPerSec.toFixed(1)} pods created/s`);
    }
  } finally {
    await c.stop();
  }
  return runs;
}

async function wasmRuns(o: Options, runs: Run[]): Promise<void> {
  const c = await startJobCluster({ subnet: WASM_SUBNET, controllers: ['job', 'garbagecollector'] });
  try {
    for (const [i, run] of runs.entries()) {
      await c.namespace(`wasm-${i}`);
      run.wasmJobPerSec = await jobThroughput(c.client, batchJob(`wasm-${i}`, 'bench', { completions: o.wasmCompletions, parallelism: o.wasmParallelism }), o.timeoutMs);
      console.log(`run ${i + 1}: Wasm Job ${run.wasmJobPerSec.toFixed(1)} completions/s`);
    }
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  const o = options();
  console.log(`job bench: ${o.runs} runs; hollow Job ${o.completions}×${o.parallelism} on ${o.nodes} hollow nodes, Deployment ${o.replicas}; Wasm Job ${o.wasmCompletions}×${o.wasmParallelism}`);
  const runs = await hollowRuns(o);
  await wasmRuns(o, runs);
  const hollow = median(runs.map((r) => r.hollowJobPerSec));
  const wasm = median(runs.map((r) => r.wasmJobPerSec ?? NaN));
  const deploy = median(runs.map((r) => r.deploymentPodsPerSec));
  const summary = { ...o, hollowJobMedianPerSec: hollow, wasmJobMedianPerSec: wasm, deploymentPodsMedianPerSec: deploy, hollowToDeploymentRatio: hollow / deploy, wasmToDeploymentRatio: wasm / deploy };
  console.log(
    `median: hollow Job ${hollow.toFixed(1)} completions/s, Wasm Job ${wasm.toFixed(1)} completions/s, Deployment ${deploy.toFixed(1)} pods/s; ` +
      `ratio hollow/Deployment ${summary.hollowToDeploymentRatio.toFixed(2)}, Wasm/Deployment ${summary.wasmToDeploymentRatio.toFixed(2)}`,
  );
  writeFileSync(join(import.meta.dirname, 'job-results.json'), `${JSON.stringify({ summary, runs }, null, 2)}\n`);
}

await main();
