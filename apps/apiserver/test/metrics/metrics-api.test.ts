// The apiserver's metrics APIs against real parts: redis-server, an apiserver process over TLS
// scraping every 1 s (--metric-resolution), a kubelet offering Wasm and Docker, a proxy whose
// /metrics port is the apiserver's --proxy-metrics-port, and the real /usr/bin/kubectl.
//
// Acceptance of issue 13 point 2: `kubectl top nodes` and `kubectl top pods -A [--containers]`
// show a spinning Wasm pod and a Docker pod running `yes > /dev/null` at about one core each and
// an idle Wasm pod near zero, with numbers that move; who may read follows RBAC (view aggregates
// metrics-server's system:aggregated-metrics-reader); a pod without metrics is NotFound. And the
// custom metric http_requests_per_second from the proxy's counters, on the three paths the
// custom metrics API defines.
//
// Bands are wide on purpose: CI has 2 loaded cores and two pods here each want a whole one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRoleBindingResource, EndpointSliceResource, ServiceResource, type MetricValueList, type NodeMetricsList, type Pod, type PodMetrics } from '@kite/api-types';
import { ADMIN, freePort, kubectl, testUser, waitFor, type KubectlResult } from '@kite/testing';
import { dockerPod, startDockerCluster, type DockerCluster } from '../../../kubelet/test/docker/support.js';
import { httpPod, isReady, pods, waitForPod } from '../../../kubelet/test/helpers.js';
import { startProxy, type ProxyProcess } from '../../../proxy/test/support/cluster.js';
import { httpRequest } from '../../../proxy/test/support/http.js';
import { service, slice } from '../../../proxy/test/support/objects.js';

/** Node 127.1.79.1, pods from 127.64.79.0/24 (no other test file uses 79). */
const SUBNET = 79;
const NODE_IP = `127.1.${SUBNET}.1`;
/** A service CIDR of this file's own. */
const SERVICE_CIDR = '127.48.0.0/24';
const CLUSTER_IP = '127.48.0.10';
/** The resolution the apiserver scrapes at. */
const RESOLUTION = '1s';
/** One busy core, as kubectl prints it, with room for a loaded 2-core machine. */
const ONE_CORE_M = { min: 600, max: 1300 };
const IDLE_MAX_M = 100;
/** Time for scrapes to settle into the bands when the machine is loaded. */
const SETTLE_MS = 90_000;
/** Upper bound on the requests the custom metric test sends. */
const MAX_REQUESTS = 400;

const CUSTOM = '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default';

let c: DockerCluster;
let proxy: ProxyProcess;
let dir: string;
let admin: string;

beforeAll(async () => {
  const proxyPort = await freePort(NODE_IP);
  c = await startDockerCluster(SUBNET, 'wasm,docker', [], ['--metric-resolution', RESOLUTION, '--proxy-metrics-port', String(proxyPort), '--service-cluster-ip-range', SERVICE_CIDR]);
  proxy = await startProxy(c.apiserver, NODE_IP, [], proxyPort);
  dir = await mkdtemp(join(tmpdir(), 'kite-metrics-api-'));
  admin = await c.apiserver.kubeconfig();
  const spin = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'spin', namespace: 'default', labels: { app: 'spin' } }, spec: { nodeName: c.nodeName, restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'spin', image: 'spin/build/spin.wasm' }] } } as Pod;
  await pods(c).create(spin);
  await pods(c).create(httpPod(c, 'idle'));
  await pods(c).create(dockerPod(c, 'burn', [{ name: 'yes', command: ['sh', '-c', 'yes > /dev/null'] }], { terminationGracePeriodSeconds: 0 }));
  await waitForPod(c, 'spin', (p) => p.status?.phase === 'Running', 30_000, 'Running');
  await waitForPod(c, 'idle', isReady, 30_000, 'Ready');
  await waitForPod(c, 'burn', (p) => p.status?.phase === 'Running', 30_000, 'Running');
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (kubeconfig: string, ...args: string[]): Promise<KubectlResult> => kubectl({ kubeconfig, dir }, ...args);

/** kubectl's table as rows keyed by header (`CPU(cores)`, `NAME`, ...). */
function table(stdout: string): Record<string, string>[] {
  const [head = '', ...lines] = stdout.trim().split('\n');
  const headers = head.trim().split(/\s+/);
  return lines.map((l) => Object.fromEntries(l.trim().split(/\s+/).map((v, i) => [headers[i] ?? String(i), v])));
}

/** `1234m` → 1234; kubectl top prints CPU in millicores. */
const millis = (v: string | undefined): number => (v?.endsWith('m') ? Number(v.slice(0, -1)) : Number(v) * 1000);
const within = (m: number, band: { min: number; max: number }) => m >= band.min && m <= band.max;

async function rawJson<T>(path: string): Promise<T> {
  const r = await run(admin, 'get', '--raw', path);
  if (r.code !== 0) throw new Error(`kubectl get --raw ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe('metrics.k8s.io through kubectl', () => {
  it('lists both metrics groups in discovery and api-resources', async () => {
    const r = await run(admin, 'api-resources', '--api-group=metrics.k8s.io', '-o', 'wide');
    expect(r.code, r.stderr).toBe(0);
    expect(table(r.stdout).map((x) => x.NAME).sort()).toEqual(['nodes', 'pods']);
    expect(r.stdout).toMatch(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics\s+get,list\s*$/m);
    expect(r.stdout).toMatch(/^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\s+get,list\s*$/m);
    const groups = await rawJson<{ groups: { name: string; versions: { version: string }[] }[] }>('/apis');
    expect(groups.groups.find((g) => g.name === 'custom.metrics.k8s.io')?.versions.map((v) => v.version)).toEqual(['v1beta2']);
    const custom = await rawJson<{ resources: { name: string }[] }>('/apis/custom.metrics.k8s.io/v1beta2');
    expect(custom.resources.map((x) => x.name).sort()).toEqual(['pods/http_requests_per_second', 'services/http_requests_per_second']);
  });

  it('kubectl top pods -A: the spinning Wasm pod and the Docker `yes` at about one core, the idle pod near zero', async () => {
    const rows = await waitFor(
      async () => {
        const r = await run(admin, 'top', 'pods', '-A');
        if (r.code !== 0) return undefined;
        const t = table(r.stdout);
        const cpu = (name: string) => millis(t.find((x) => x.NAME === name && x.NAMESPACE === 'default')?.['CPU(cores)']);
        return within(cpu('spin'), ONE_CORE_M) && within(cpu('burn'), ONE_CORE_M) && cpu('idle') < IDLE_MAX_M ? t : undefined;
      },
      { timeoutMs: SETTLE_MS, intervalMs: 1000, message: 'spin and burn at about 1000m, idle under 100m in kubectl top pods -A' },
    );
    for (const name of ['spin', 'idle', 'burn']) expect(rows.find((x) => x.NAME === name)?.['MEMORY(bytes)']).toMatch(/^\d+Mi$/);
  });

  it('kubectl top pods --containers names each container', async () => {
    const r = await waitFor(async () => {
      const res = await run(admin, 'top', 'pods', '--containers');
      return res.code === 0 && table(res.stdout).length === 3 ? res : undefined;
    }, { timeoutMs: 20_000, intervalMs: 1000, message: 'three pods in top --containers' });
    const byPod = Object.fromEntries(table(r.stdout).map((x) => [x.POD, x.NAME]));
    expect(byPod).toEqual({ spin: 'spin', idle: 'hello', burn: 'yes' });
  });

  it('kubectl top nodes shows the node busy with two spinning pods, and its numbers move', async () => {
    const r = await waitFor(async () => {
      const res = await run(admin, 'top', 'nodes');
      const row = res.code === 0 ? table(res.stdout).find((x) => x.NAME === c.nodeName) : undefined;
      return row && millis(row['CPU(cores)']) > ONE_CORE_M.min ? row : undefined;
    }, { timeoutMs: SETTLE_MS, intervalMs: 1000, message: 'the node above 600m in kubectl top nodes' });
    expect(r['MEMORY(bytes)']).toMatch(/^[1-9]\d*Mi$/);
    const first = await rawJson<NodeMetricsList>('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(first).toMatchObject({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetricsList', items: [{ metadata: { name: c.nodeName }, usage: { cpu: expect.any(String), memory: expect.any(String) } }] });
    expect(first.items[0]?.window).toMatch(/^\d+(\.\d+)?m?s$/);
    // The next scrape round brings a newer timestamp: the numbers are live, not a snapshot.
    await waitFor(async () => (await rawJson<NodeMetricsList>('/apis/metrics.k8s.io/v1beta1/nodes')).items[0]?.timestamp !== first.items[0]?.timestamp, { timeoutMs: 20_000, intervalMs: 300, message: 'a newer NodeMetrics timestamp' });
  });

  it('get and list answer metrics-server shapes, filtered by labelSelector', async () => {
    const one = await rawJson<PodMetrics>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/spin');
    expect(one).toMatchObject({ kind: 'PodMetrics', metadata: { name: 'spin', namespace: 'default', labels: { app: 'spin' } }, containers: [{ name: 'spin', usage: { cpu: expect.any(String), memory: expect.any(String) } }] });
    expect(Date.parse(one.timestamp)).toBeGreaterThan(Date.now() - 30_000);
    const selected = await rawJson<{ kind: string; items: PodMetrics[] }>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dhello');
    expect(selected.kind).toBe('PodMetricsList');
    expect(selected.items.map((p) => p.metadata.name)).toEqual(['idle']);
    const r = await run(admin, 'top', 'pods', '-l', 'app=spin');
    expect(r.code, r.stderr).toBe(0);
    expect(table(r.stdout).map((x) => x.NAME)).toEqual(['spin']);
    // kubectl get on the kind (a Table answer) works as for any read-only kind.
    const got = await run(admin, 'get', 'pods.metrics.k8s.io', 'spin');
    expect(got.code, got.stderr).toBe(0);
    expect(table(got.stdout).map((x) => x.NAME)).toEqual(['spin']);
  });

  it.each([
    { name: 'a pod', args: ['top', 'pod', 'nosuch'], want: 'podmetrics.metrics.k8s.io "default/nosuch" not found' },
    { name: 'a node', args: ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes/nosuch'], want: 'nodemetrics.metrics.k8s.io "nosuch" not found' },
  ])('$name without metrics is NotFound', async ({ args, want }) => {
    const r = await run(admin, ...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(want);
  });

  it('a write or a watch is refused: the kinds are read-only', async () => {
    const fetcher = await c.apiserver.fetcher(ADMIN);
    const res = await fetcher(`${c.apiserver.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/spin`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
  });
});

describe('who may read metrics', () => {
  const stranger = testUser('metrics-stranger');
  const viewer = testUser('metrics-viewer');

  beforeAll(async () => {
    await c.client.resource(ClusterRoleBindingResource).create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'metrics-viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: viewer.user }],
    });
  });

  it('a user without rights gets 403 Forbidden from metrics.k8s.io and custom.metrics.k8s.io', async () => {
    const r = await run(await c.apiserver.kubeconfig(stranger), 'top', 'pods');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot list resource "pods" in API group "metrics.k8s.io"');
    const fetcher = await c.apiserver.fetcher(stranger);
    const res = await fetcher(`${c.apiserver.url}${CUSTOM}/pods/*/http_requests_per_second`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
  });

  it('a user bound to view reads pod and node metrics', async () => {
    const kubeconfig = await c.apiserver.kubeconfig(viewer);
    const r = await waitFor(async () => {
      const res = await run(kubeconfig, 'top', 'pods');
      return res.code === 0 ? res : undefined;
    }, { timeoutMs: 20_000, intervalMs: 500, message: 'the view binding to take effect' });
    expect(table(r.stdout).map((x) => x.NAME).sort()).toEqual(['burn', 'idle', 'spin']);
    const nodes = await run(kubeconfig, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(nodes.code, nodes.stderr).toBe(0);
  });
});

describe('custom.metrics.k8s.io http_requests_per_second', () => {
  let podIP: string;

  beforeAll(async () => {
    podIP = (await pods(c).get('idle', { namespace: 'default' })).status?.podIP ?? '';
    await c.client.resource(ServiceResource).create(service('web', { clusterIP: CLUSTER_IP, selector: { app: 'hello' } }));
    // No controller manager here: the Service's endpoints are written by hand, with the pod as targetRef.
    await c.client.resource(EndpointSliceResource).create(slice('web', [{ ip: podIP, pod: 'idle' }]));
    await waitFor(async () => (await httpRequest(`http://${CLUSTER_IP}/`).catch(() => undefined))?.status === 200, { timeoutMs: 20_000, message: 'the proxy forwarding to the idle pod' });
  });

  async function getJson(path: string): Promise<{ status: number; body: unknown }> {
    const fetcher = await c.apiserver.fetcher(ADMIN);
    const res = await fetcher(`${c.apiserver.url}${path}`);
    return { status: res.status, body: await res.json() };
  }

  /** Sends requests through the proxy (at most MAX_REQUESTS) until `check` sees what it waits for. */
  async function underLoad<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
    let done = false;
    let sent = 0;
    const load = (async () => {
      while (!done && sent < MAX_REQUESTS) {
        sent++;
        await httpRequest(`http://${CLUSTER_IP}/`).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      return await waitFor(check, { timeoutMs: 30_000, intervalMs: 200, message: what });
    } finally {
      done = true;
      await load;
    }
  }

  const valueOf = (list: MetricValueList, name: string) => list.items.find((i) => i.describedObject.name === name);
  /** A Quantity above zero (`1500m`, `3`). */
  const positive = (q: string | number | undefined) => q !== undefined && Number.parseFloat(String(q)) > 0;

  it('pods/*: a MetricValueList with a nonzero rate for the pod that served, 0 for the others', async () => {
    const list = await underLoad(async () => {
      const r = await getJson(`${CUSTOM}/pods/*/http_requests_per_second?labelSelector=${encodeURIComponent('app in (hello,spin)')}`);
      const l = r.body as MetricValueList;
      return r.status === 200 && positive(valueOf(l, 'idle')?.value) ? l : undefined;
    }, 'a nonzero http_requests_per_second for the idle pod');
    expect(list).toMatchObject({ apiVersion: 'custom.metrics.k8s.io/v1beta2', kind: 'MetricValueList' });
    expect(list.items.map((i) => i.describedObject.name)).toEqual(['idle', 'spin']);
    expect(valueOf(list, 'idle')).toMatchObject({ describedObject: { kind: 'Pod', namespace: 'default', apiVersion: 'v1' }, metric: { name: 'http_requests_per_second' }, windowSeconds: expect.any(Number) });
    expect(valueOf(list, 'spin')?.value).toBe('0');
  });

  it('pods/NAME and services/NAME answer one value', async () => {
    const [pod, svc] = await underLoad(async () => {
      const p = await getJson(`${CUSTOM}/pods/idle/http_requests_per_second`);
      const s = await getJson(`${CUSTOM}/services/web/http_requests_per_second`);
      const pl = p.body as MetricValueList;
      const sl = s.body as MetricValueList;
      return p.status === 200 && s.status === 200 && positive(pl.items[0]?.value) && positive(sl.items[0]?.value) ? [pl, sl] : undefined;
    }, 'nonzero rates for pods/idle and services/web');
    expect(pod.items).toHaveLength(1);
    expect(svc.items).toEqual([expect.objectContaining({ describedObject: { kind: 'Service', namespace: 'default', name: 'web', apiVersion: 'v1' } })]);
  });

  it.each([
    { name: 'an unknown metric', path: `${CUSTOM}/pods/*/no_such_metric`, want: 'no_such_metric' },
    { name: 'a pod that does not exist', path: `${CUSTOM}/pods/nosuch/http_requests_per_second`, want: 'http_requests_per_second' },
  ])('$name is a 404 NotFound Status', async ({ path, want }) => {
    const r = await getJson(path);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    expect((r.body as { message: string }).message).toContain(want);
  });
});
