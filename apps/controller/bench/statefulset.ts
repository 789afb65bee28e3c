// StatefulSet benchmark (a measurement, not a test). In one hollow cluster (100 hollow nodes, the
// scheduler, the controller manager with the statefulset controller), per run:
//   statefulset — POST of a StatefulSet of R replicas, podManagementPolicy Parallel, until
//                 status.readyReplicas = R: ms and pods Ready per second;
//   deployment  — the baseline: POST of a Deployment of the same R replicas until all R are
//                 available (as bench/main.ts measures it): ms and pods/s;
//   ordered     — POST of an OrderedReady StatefulSet of N replicas until N Ready: ms, and ms per
//                 pod (each pod waits for the one before it to be Running and Ready).
// Each measurement has a namespace of its own, deleted (and its pods gone) before the next one.
// Prints every run, the medians and the ratio StatefulSet pods/s ÷ Deployment pods/s; writes
// bench/statefulset-results.json.
//
//   npm run bench:statefulset -w @kite/controller [-- --runs 3 --replicas 100 --ordered-replicas 20
//        --nodes 100 --timeout 300000]
// Reduced check: --runs 1 --replicas 30 --ordered-replicas 5 --nodes 5.
// Needs built apps. Loopback only; every wait is bounded by --timeout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PodResource, StatefulSetResource, type StatefulSet } from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import { schedulerBuilt, startBenchCluster, type BenchCluster } from './cluster.js';
import { cleanUp, createNamespace, deploymentReadyMs, median, timeUntil } from './harness.js';
import { waitForObject } from './watch.js';

/** Every default controller, and the StatefulSet controller whatever the defaults become. */
const CONTROLLERS = ['*', 'statefulset'];
type Policy = 'Parallel' | 'OrderedReady';

interface Options {
  runs: number;
  replicas: number;
  orderedReplicas: number;
  nodes: number;
  timeoutMs: number;
}

interface Run {
  statefulSetMs: number;
  statefulSetPodsPerSec: number;
  deploymentMs: number;
  deploymentPodsPerSec: number;
  orderedMs: number;
  orderedMsPerPod: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      replicas: { type: 'string', default: '100' },
      'ordered-replicas': { type: 'string', default: '20' },
      nodes: { type: 'string', default: '100' },
      timeout: { type: 'string', default: '300000' },
    },
  });
  const n = (flag: keyof typeof values) => {
    const v = Number(values[flag]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${flag}: a whole number ≥ 1, not ${values[flag]}`);
    return v;
  };
  return { runs: n('runs'), replicas: n('replicas'), orderedReplicas: n('ordered-replicas'), nodes: n('nodes'), timeoutMs: n('timeout') };
}

/** A StatefulSet of `replicas` one-container pods (hollow nodes run anything), no claims. */
function benchStatefulSet(namespace: string, replicas: number, podManagementPolicy: Policy): StatefulSet {
  const labels = { app: 'bench-sts' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'bench', namespace },
    spec: { replicas, podManagementPolicy, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'hello.wasm' }] } } },
  };
}

const allReady = (replicas: number) => (s: StatefulSet) => (s.status?.observedGeneration ?? 0) >= (s.metadata.generation ?? 0) && s.status?.readyReplicas === replicas;

/** What the set and its pods look like, for the error when a wait times out. */
async function describeSet(client: KubeClient, namespace: string): Promise<string> {
  const set = await client.resource(StatefulSetResource).get('bench', { namespace }).catch((err: unknown) => ({ error: String(err) }));
  const pods = (await client.resource(PodResource).list({ namespace })).items;
  const byState = new Map<string, number>();
  for (const p of pods) {
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const state = `${p.spec?.nodeName ? 'bound' : 'unbound'}/${p.status?.phase ?? 'no phase'}/${ready ? 'Ready' : 'not Ready'}`;
    byState.set(state, (byState.get(state) ?? 0) + 1);
  }
  const status = 'error' in set ? set.error : JSON.stringify(set.status ?? {});
  return `status ${status}; ${pods.length} pods: ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}`;
}

/** POST of a StatefulSet until all its replicas are Ready, in ms. */
async function statefulSetReadyMs(c: BenchCluster, namespace: string, replicas: number, policy: Policy, timeoutMs: number): Promise<number> {
  try {
    return await timeUntil(
      () => c.client.resource(StatefulSetResource).create(benchStatefulSet(namespace, replicas, policy)),
      () => waitForObject(c.client, StatefulSetResource, namespace, 'bench', allReady(replicas), timeoutMs),
    );
  } catch (err) {
    const log = c.controller.output().split('\n').slice(-20).join('\n');
    throw new Error(`${policy} StatefulSet of ${replicas} in ${namespace}: ${String(err)}\n  ${await describeSet(c.client, namespace)}\n  controller manager log (tail):\n${log}`, { cause: err });
  }
}

/** Runs `measure` in a fresh namespace, then deletes it and waits until its pods are gone. */
async function inNamespace(c: BenchCluster, name: string, timeoutMs: number, measure: (namespace: string) => Promise<number>): Promise<number> {
  await createNamespace(c.client, name);
  const ms = await measure(name);
  await cleanUp(c.client, name, timeoutMs);
  return ms;
}

async function runOnce(c: BenchCluster, o: Options, i: number): Promise<Run> {
  const statefulSetMs = await inNamespace(c, `sts-${i}`, o.timeoutMs, (ns) => statefulSetReadyMs(c, ns, o.replicas, 'Parallel', o.timeoutMs));
  const deploymentMs = await inNamespace(c, `deploy-${i}`, o.timeoutMs, (ns) => deploymentReadyMs(c.client, ns, o.replicas, o.timeoutMs));
  const orderedMs = await inNamespace(c, `ordered-${i}`, o.timeoutMs, (ns) => statefulSetReadyMs(c, ns, o.orderedReplicas, 'OrderedReady', o.timeoutMs));
  const perSec = (ms: number) => o.replicas / (ms / 1000);
  return { statefulSetMs, statefulSetPodsPerSec: perSec(statefulSetMs), deploymentMs, deploymentPodsPerSec: perSec(deploymentMs), orderedMs, orderedMsPerPod: orderedMs / o.orderedReplicas };
}

const line = (r: Run, o: Options) =>
  `StatefulSet (Parallel, ${o.replicas}) ${r.statefulSetMs.toFixed(0)} ms, ${r.statefulSetPodsPerSec.toFixed(1)} pods Ready/s; ` +
  `Deployment (${o.replicas}) ${r.deploymentMs.toFixed(0)} ms, ${r.deploymentPodsPerSec.toFixed(1)} pods available/s; ` +
  `OrderedReady StatefulSet (${o.orderedReplicas}) ${r.orderedMs.toFixed(0)} ms, ${r.orderedMsPerPod.toFixed(0)} ms/pod`;

async function main(): Promise<void> {
  const o = options();
  const binder = schedulerBuilt() ? 'scheduler' : 'hollow';
  console.log(`statefulset bench: ${o.runs} runs; ${o.nodes} hollow nodes, binding by ${binder}; StatefulSet Parallel ${o.replicas} vs Deployment ${o.replicas}; OrderedReady ${o.orderedReplicas}`);
  const c = await startBenchCluster({ nodes: o.nodes, binder, controllers: CONTROLLERS });
  const runs: Run[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      runs.push(await runOnce(c, o, i));
      console.log(`run ${i + 1}: ${line(runs[i] as Run, o)}`);
    }
  } finally {
    await c.stop();
  }
  const m = (k: keyof Run) => median(runs.map((r) => r[k]));
  const medians: Run = {
    statefulSetMs: m('statefulSetMs'),
    statefulSetPodsPerSec: m('statefulSetPodsPerSec'),
    deploymentMs: m('deploymentMs'),
    deploymentPodsPerSec: m('deploymentPodsPerSec'),
    orderedMs: m('orderedMs'),
    orderedMsPerPod: m('orderedMsPerPod'),
  };
  const ratio = medians.statefulSetPodsPerSec / medians.deploymentPodsPerSec;
  console.log(`median: ${line(medians, o)}\nratio StatefulSet pods/s ÷ Deployment pods/s: ${ratio.toFixed(2)}`);
  const summary = { ...o, binder, controllers: CONTROLLERS, medians, statefulSetToDeploymentRatio: ratio };
  writeFileSync(join(import.meta.dirname, 'statefulset-results.json'), `${JSON.stringify({ date: new Date().toISOString(), summary, runs }, null, 2)}\n`);
}

await main();
