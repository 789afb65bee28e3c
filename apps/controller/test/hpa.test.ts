// HorizontalPodAutoscaler acceptance, all real parts: redis-server, the apiserver over TLS with a
// 1 s --metric-resolution, the scheduler, the built controller manager (HPA sync period 1 s,
// downscale stabilization 5 s), a kubelet running examples/wasm-pods hello-http as Wasm pods with
// a tiny CPU request, and the real kubectl (`kubectl autoscale`, `kubectl get hpa`).
//
// HTTP load straight to the pod IPs (bounded: at most LOAD_MAX_MS, stopped as soon as the HPA has
// scaled up) drives CPU utilization over the 50% target; the Deployment scales up, then back to
// minReplicas once the load stops and the stabilization window has passed. A watch on the
// Deployment records every spec.replicas, which must stay within [min, max].
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, EventResource, HorizontalPodAutoscalerResource, PodResource, type Deployment, type Pod } from '@kite/api-types';
import { httpLoad, kubectl, repoRoot, waitFor } from '@kite/testing';
import { startHpaCluster, type HpaCluster } from './helpers/hpa-cluster.js';
import { webDeployment } from './helpers/hpa-workload.js';

/** Node 127.1.47.1, pods 127.64.47.0/24: a subnet no other test uses. */
const SUBNET = 47;
const NS = 'default';
const NAME = 'web';
const MIN = 1;
const MAX = 4;
const LOAD_MAX_MS = 30_000;
const LOAD_CONCURRENCY = 8;
/** Two metric resolutions plus a sync period is the goal; this bound is for a loaded 2-core CI machine. */
const SCALE_UP_TIMEOUT_MS = 45_000;
const SCALE_DOWN_TIMEOUT_MS = 90_000;
const READY_TIMEOUT_MS = 60_000;

let c: HpaCluster;
let dir: string;
let kubeconfig: string;
const seen: number[] = [];
const watchStop = new AbortController();

async function readyPods(): Promise<Pod[]> {
  const pods = await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `app=${NAME}` });
  return pods.items.filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
}

async function recordReplicas(): Promise<void> {
  const deployments = c.client.resource(DeploymentResource);
  try {
    for await (const ev of deployments.watch({ namespace: NS, fieldSelector: `metadata.name=${NAME}`, signal: watchStop.signal })) {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') seen.push((ev.object as Deployment).spec?.replicas ?? 1);
    }
  } catch {
    // The watch ends with the test.
  }
}

/** HTTP requests to every ready pod from LOAD_CONCURRENCY loops, until `until()` or LOAD_MAX_MS. */
const load = (until: () => Promise<boolean>) =>
  httpLoad({ targets: async () => (await readyPods()).map((p) => `http://${p.status?.podIP ?? ''}:8080/`), until, maxMs: LOAD_MAX_MS, concurrency: LOAD_CONCURRENCY });

/** The current utilization kubectl shows in TARGETS (`cpu: 73%/50%` → 73), or -1. */
const percent = (line: string) => Number(/cpu: (\d+)%/.exec(line)?.[1] ?? -1);

const replicas = async () => (await c.client.resource(DeploymentResource).get(NAME, { namespace: NS })).spec?.replicas ?? 1;

beforeAll(async () => {
  const yamlText = await readFile(join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'deployment.yaml'), 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'kite-hpa-kubectl-'));
  c = await startHpaCluster({
    subnet: SUBNET,
    metricResolution: '1s',
    controllers: ['replicaset', 'deployment', 'horizontalpodautoscaling'],
    managerArgs: ['--horizontal-pod-autoscaler-sync-period', '1s', '--horizontal-pod-autoscaler-downscale-stabilization', '5s'],
  });
  kubeconfig = await c.apiserver.kubeconfig();
  await c.client.resource(DeploymentResource).create(webDeployment(yamlText, { name: NAME, namespace: NS, replicas: MIN }));
  void recordReplicas();
  await waitFor(async () => (await readyPods()).length === 1, { timeoutMs: READY_TIMEOUT_MS, message: 'one ready web pod' });
}, 120_000);

afterAll(async () => {
  watchStop.abort();
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HorizontalPodAutoscaler on Wasm pods', () => {
  it('scales up under HTTP load and back down after the stabilization window', async () => {
    const auto = await kubectl({ kubeconfig, dir }, 'autoscale', 'deployment', NAME, '--cpu-percent=50', `--min=${MIN}`, `--max=${MAX}`);
    expect(auto.code, auto.stderr).toBe(0);
    const hpas = c.client.resource(HorizontalPodAutoscalerResource);
    await waitFor(async () => (await hpas.get(NAME, { namespace: NS })).status?.conditions?.some((x) => x.type === 'ScalingActive' && x.status === 'True'), {
      timeoutMs: READY_TIMEOUT_MS,
      message: 'ScalingActive True (metrics read)',
    }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${JSON.stringify((await hpas.get(NAME, { namespace: NS })).status, null, 1)}`);
    });

    const started = Date.now();
    let targets = '';
    const requests = await load(async () => {
      const out = await kubectl({ kubeconfig, dir }, 'get', 'hpa', NAME, '--no-headers');
      // Keep the highest reading seen, to show the load's effect.
      if (/cpu: \d+%\/50%/.test(out.stdout) && percent(out.stdout) >= percent(targets)) targets = out.stdout;
      return (await replicas()) > MIN;
    });
    const upMs = Date.now() - started;
    expect(await replicas(), `no scale-up after ${upMs} ms and ${requests} requests`).toBeGreaterThan(MIN);
    expect(upMs).toBeLessThan(SCALE_UP_TIMEOUT_MS);
    expect(targets).toMatch(/cpu: \d+%\/50%/);
    const up = (await c.client.resource(EventResource).list({ namespace: NS })).items.find((e) => e.involvedObject.name === NAME && e.reason === 'SuccessfulRescale');
    expect(up?.message).toMatch(/^New size: \d; reason: cpu resource utilization \(percentage of request\) above target$/);

    await waitFor(async () => (await replicas()) === MIN, { timeoutMs: SCALE_DOWN_TIMEOUT_MS, message: 'scaled back to minReplicas' });
    const status = (await hpas.get(NAME, { namespace: NS })).status;
    expect(status?.conditions?.find((x) => x.type === 'ScalingActive')?.message).toBe('the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    expect(status?.currentMetrics?.[0]?.resource?.name).toBe('cpu');
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(MIN);
    expect(Math.max(...seen)).toBeLessThanOrEqual(MAX);
    console.log(`HPA: scale-up ${upMs} ms after load start (${requests} requests); replicas seen ${seen.join(',')}; ${targets.trim()}`);
  }, 240_000);
});
