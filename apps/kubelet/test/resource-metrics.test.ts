// The kubelet's API against a real apiserver and kubelet (its Wasm runtime in the runtime daemon):
// /metrics/resource shows a spinning Wasm pod at about one core and an idle one near zero, both
// holding memory, with node totals; /stats/summary computes usageNanoCores from its previous
// reading; who may read what follows nodes/metrics and nodes/stats. Then /pods lists exactly the
// pods bound to this node, /runningpods/ those its runtime runs, and /configz the kubelet's
// settings without key material, all behind nodes/proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRoleBindingResource, ClusterRoleResource, ConfigMapResource, type Pod } from '@kite/api-types';
import { testUser, waitFor } from '@kite/testing';
import { batchPod, httpPod, isReady, pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';
import { coresBetween, kubeletGet, sampleOf, scrapeResource, type PromSample } from './resource-scrape.js';
import type { Summary } from '../src/stats/summary.js';
import type { PodList } from '../src/server/pod-lists.js';

/** The interval the CPU rate is measured over (between two scrapes). */
const WINDOW_MS = 2000;

let c: KubeletCluster;
beforeAll(async () => {
  c = await startKubeletCluster(53);
  const spin: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'spin', namespace: 'default' },
    spec: { nodeName: c.nodeName, restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'spin', image: 'spin/build/spin.wasm' }] },
  } as Pod;
  await pods(c).create(spin);
  await pods(c).create(httpPod(c, 'idle'));
  await waitForPod(c, 'spin', (p) => p.status?.phase === 'Running', 20_000, 'Running');
  await waitForPod(c, 'idle', isReady, 20_000, 'Ready');
});
afterAll(async () => c.stop());

const spinLabels = { namespace: 'default', pod: 'spin', container: 'spin' };
const idleLabels = { namespace: 'default', pod: 'idle', container: 'hello' };

/** A scrape once both pods' containers are in it. */
function scrapeWithBoth(): Promise<PromSample[]> {
  return waitFor(
    async () => {
      const samples = await scrapeResource(c);
      return sampleOf(samples, 'container_cpu_usage_seconds_total', spinLabels) && sampleOf(samples, 'container_cpu_usage_seconds_total', idleLabels) ? samples : undefined;
    },
    { timeoutMs: 15_000, message: 'both pods in /metrics/resource' },
  );
}

function required(samples: PromSample[], name: string, labels: Record<string, string> = {}): PromSample {
  const s = sampleOf(samples, name, labels);
  if (!s) throw new Error(`${name} ${JSON.stringify(labels)} missing`);
  return s;
}

describe('/metrics/resource', () => {
  it('shows the spinning pod at about one core, the idle one near zero, memory for both, and the node', async () => {
    const a = await scrapeWithBoth();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const b = await scrapeResource(c);
    const spin = coresBetween(required(a, 'container_cpu_usage_seconds_total', spinLabels), required(b, 'container_cpu_usage_seconds_total', spinLabels));
    const idle = coresBetween(required(a, 'container_cpu_usage_seconds_total', idleLabels), required(b, 'container_cpu_usage_seconds_total', idleLabels));
    expect(spin).toBeGreaterThan(0.5);
    expect(spin).toBeLessThan(1.5);
    expect(idle).toBeLessThan(0.2);
    // The pod total is its only container; the node spends at least what the spinning pod does.
    const podSpin = coresBetween(required(a, 'pod_cpu_usage_seconds_total', { namespace: 'default', pod: 'spin' }), required(b, 'pod_cpu_usage_seconds_total', { namespace: 'default', pod: 'spin' }));
    expect(podSpin).toBeCloseTo(spin, 1);
    expect(coresBetween(required(a, 'node_cpu_usage_seconds_total'), required(b, 'node_cpu_usage_seconds_total'))).toBeGreaterThan(0.4);
    for (const labels of [spinLabels, idleLabels]) {
      expect(required(b, 'container_memory_working_set_bytes', labels).value).toBeGreaterThan(0);
      const start = required(b, 'container_start_time_seconds', labels);
      expect(start.value * 1000).toBeLessThanOrEqual(Date.now());
      expect(start.value * 1000).toBeGreaterThan(Date.now() - 120_000);
    }
    expect(required(b, 'pod_memory_working_set_bytes', { namespace: 'default', pod: 'idle' }).value).toBeGreaterThan(0);
    expect(required(b, 'node_memory_working_set_bytes').value).toBeGreaterThan(0);
    expect(required(b, 'scrape_error').value).toBe(0);
    expect(required(b, 'resource_scrape_error').value).toBe(0);
  });
});

describe('/stats/summary', () => {
  it('is a stats/v1alpha1 Summary whose usageNanoCores comes from the previous reading', async () => {
    const read = async (): Promise<Summary> => {
      const { status, body } = await kubeletGet(c, '/stats/summary?only_cpu_and_memory=true');
      expect(status).toBe(200);
      return JSON.parse(body) as Summary;
    };
    await read();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const summary = await read();
    expect(summary.node).toMatchObject({ nodeName: c.nodeName, memory: { workingSetBytes: expect.any(Number), availableBytes: expect.any(Number), usageBytes: expect.any(Number) } });
    expect(summary.node.cpu.usageNanoCores).toBeGreaterThan(0);
    const spin = summary.pods.find((p) => p.podRef.name === 'spin');
    const idle = summary.pods.find((p) => p.podRef.name === 'idle');
    expect(spin?.podRef).toMatchObject({ namespace: 'default', uid: expect.stringMatching(/.+/) });
    expect(spin?.containers.map((x) => x.name)).toEqual(['spin']);
    expect(spin?.containers[0]?.cpu.usageNanoCores).toBeGreaterThan(0.5e9);
    expect(spin?.containers[0]?.cpu.usageNanoCores).toBeLessThan(1.5e9);
    expect(spin?.cpu.usageNanoCores).toBe(spin?.containers[0]?.cpu.usageNanoCores);
    expect(idle?.containers[0]?.cpu.usageNanoCores).toBeLessThan(0.2e9);
    expect(idle?.memory.workingSetBytes).toBeGreaterThan(0);
    expect(spin?.containers[0]?.memory.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('who may read what', () => {
  const stranger = testUser('usage-stranger');
  const metricsReader = testUser('usage-metrics-reader');

  beforeAll(async () => {
    await c.client.resource(ClusterRoleResource).create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'node-metrics-reader' },
      rules: [{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }],
    });
    await c.client.resource(ClusterRoleBindingResource).create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'node-metrics-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-metrics-reader' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: metricsReader.user }],
    });
    // The kubelet caches a denial for 30 s: ask it only once the apiserver's RBAC has the binding.
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: metricsReader.user, groups: [], resourceAttributes: { verb: 'get', group: '', version: 'v1', resource: 'nodes', subresource: 'metrics', name: c.nodeName } } };
    await waitFor(async () => ((await c.client.raw('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review)) as { status?: { allowed?: boolean } }).status?.allowed, { timeoutMs: 10_000, message: 'RBAC to allow nodes/metrics' });
  });

  it.each([
    { name: 'no client certificate', path: '/metrics/resource', who: null, want: 401 },
    { name: 'no certificate for the summary either', path: '/stats/summary', who: null, want: 401 },
    { name: 'a user without nodes/metrics', path: '/metrics/resource', who: stranger, want: 403 },
    { name: 'a user without nodes/stats', path: '/stats/summary', who: stranger, want: 403 },
    { name: 'nodes/metrics opens /metrics/resource', path: '/metrics/resource', who: metricsReader, want: 200 },
    { name: 'but not /stats/summary (nodes/stats)', path: '/stats/summary', who: metricsReader, want: 403 },
    ...['/pods', '/runningpods/', '/configz'].flatMap((path) => [
      { name: 'no client certificate', path, who: null, want: 401 },
      { name: 'a user without nodes/proxy', path, who: stranger, want: 403 },
      { name: 'nodes/metrics does not open nodes/proxy', path, who: metricsReader, want: 403 },
    ]),
  ])('$name: $path → $want', async ({ path, who, want }) => {
    const { status, body } = await kubeletGet(c, path, who);
    expect(status).toBe(want);
    if (want === 403) expect(body).toContain(`subresource=${path.startsWith('/stats') ? 'stats' : path.startsWith('/metrics') ? 'metrics' : 'proxy'}`);
  });
});

describe('/pods, /runningpods/ and /configz', () => {
  const names = (list: PodList) => list.items.map((p) => p.metadata.name ?? '').sort();
  const list = async (path: string): Promise<PodList> => {
    const { status, body } = await kubeletGet(c, path);
    expect(status, body).toBe(200);
    return JSON.parse(body) as PodList;
  };

  beforeAll(async () => {
    // Beside spin and idle (running here): a pod that ran to completion here, one bound to
    // another node and one bound to none (no scheduler runs in this cluster).
    await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: 'default' }, data: { 'config.txt': 'greeting=hi\n' } });
    await pods(c).create(batchPod(c, 'done', ['--config', '/config/config.txt'], 'batch-config'));
    await pods(c).create(httpPod(c, 'elsewhere', { nodeName: 'node-elsewhere' }));
    await pods(c).create(httpPod(c, 'unscheduled', { nodeName: undefined }));
    await waitForPod(c, 'done', (p) => p.status?.phase === 'Succeeded', 20_000, 'Succeeded');
  });

  it('/pods lists exactly the pods the apiserver shows bound to this node, with their status', async () => {
    const bound = (await pods(c).list({ namespace: 'default', fieldSelector: `spec.nodeName=${c.nodeName}` })).items;
    expect(bound.map((p) => p.metadata.name).sort()).toEqual(['done', 'idle', 'spin']);
    const served = await waitFor(async () => {
      const l = await list('/pods');
      return l.items.find((p) => p.metadata.name === 'done')?.status?.phase === 'Succeeded' ? l : undefined;
    }, { timeoutMs: 10_000, message: '/pods to show done Succeeded' });
    expect(served).toMatchObject({ apiVersion: 'v1', kind: 'PodList', metadata: {} });
    expect(names(served)).toEqual(['done', 'idle', 'spin']);
    for (const want of bound) {
      const got = served.items.find((p) => p.metadata.uid === want.metadata.uid);
      expect(got?.spec?.nodeName).toBe(c.nodeName);
      expect(got?.status?.podIP, want.metadata.name).toBe(want.status?.podIP);
    }
    expect(served.items.find((p) => p.metadata.name === 'idle')?.status?.phase).toBe('Running');
  });

  it('/runningpods/ lists what the runtime runs: the running pods, with their containers', async () => {
    const running = await list('/runningpods/');
    expect(running).toMatchObject({ apiVersion: 'v1', kind: 'PodList', metadata: {} });
    expect(names(running)).toEqual(['idle', 'spin']);
    const idle = await pods(c).get('idle', { namespace: 'default' });
    expect(running.items.find((p) => p.metadata.name === 'idle')).toMatchObject({
      metadata: { name: 'idle', namespace: 'default', uid: idle.metadata.uid },
      spec: { containers: [{ name: 'hello', image: 'hello-http/build/hello-http-v1.wasm' }] },
    });
  });

  it('/configz is the kubelet\'s effective configuration, with no key material', async () => {
    const { status, body } = await kubeletGet(c, '/configz');
    expect(status).toBe(200);
    const { kubeletconfig } = JSON.parse(body) as { kubeletconfig: Record<string, unknown> };
    expect(kubeletconfig).toMatchObject({ nodeName: c.nodeName, nodeIP: c.nodeIP, port: c.port, runtimes: ['wasm'], apiserver: { server: expect.stringMatching(/^https:/) } });
    expect(Object.keys(kubeletconfig)).not.toContain('tls');
    expect(Object.keys(kubeletconfig.apiserver as object)).toEqual(['server']);
    expect(body).not.toContain('-----BEGIN');
  });

  it('/livez answers anyone', async () => {
    expect(await kubeletGet(c, '/livez', null)).toEqual({ status: 200, body: 'ok' });
  });
});
