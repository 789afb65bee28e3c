// The proxy as a process against a real apiserver (redis-server behind it): Services and
// EndpointSlices written through the API, plain Node servers standing in for pods. Covers the
// reaction time to slice changes, port release, metrics, /livez and /configz, and several proxies
// on one machine.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigz, waitFor } from '@kite/testing';
import { startBackend, type TestBackend } from './support/backends.js';
import { startControlPlane, startProxy, waitListener, type ControlPlane, type ProxyProcess } from './support/cluster.js';
import { httpRequest } from './support/http.js';
import { metricValue } from './support/prom.js';
import { service, slice } from './support/objects.js';

/** This file's own service CIDR and node IPs (see support/cluster.ts). */
const SERVICE_CIDR = '127.42.0.0/24';
const NODE_A = '127.1.71.1';
const NODE_B = '127.1.72.1';
const BACKEND_IPS = ['127.91.0.1', '127.91.0.2'];
/** Services created at once in the scale test. */
const MANY = 200;
/** The bound on applying an EndpointSlice change. */
const UPDATE_BOUND_MS = 100;

let cp: ControlPlane;
let a: ProxyProcess;
let backends: TestBackend[];

async function createWeb(name: string, endpoints: string[]): Promise<{ ip: string; nodePort: number }> {
  const svc = await cp.services.create(service(name, { type: 'NodePort' }), { namespace: 'default' });
  await cp.slices.create(slice(name, endpoints), { namespace: 'default' });
  return { ip: svc.spec?.clusterIP ?? '', nodePort: svc.spec?.ports?.[0]?.nodePort ?? 0 };
}

beforeAll(async () => {
  backends = await Promise.all(BACKEND_IPS.map((ip, i) => startBackend(`pod-${i}`, ip, 8080)));
  cp = await startControlPlane(SERVICE_CIDR);
  a = await startProxy(cp.apiserver, NODE_A);
});
afterAll(async () => {
  await a?.stop();
  await cp?.stop();
  await Promise.all(backends.map((b) => b.close()));
});

describe('proxy process', () => {
  it(`serves a Service on its ClusterIP and NodePort, applies a slice change within ${UPDATE_BOUND_MS} ms, and reports metrics`, async () => {
    const web = await createWeb('web', [BACKEND_IPS[0] ?? '']);
    expect(web.ip).toMatch(/^127\.42\.0\.\d+$/);
    await waitListener(a, `${web.ip}:80`, 'bound');
    await waitListener(a, `${NODE_A}:${web.nodePort}`, 'bound');
    expect(await httpRequest(`http://${web.ip}`)).toMatchObject({ status: 200, body: 'pod-0\n' });
    expect(await httpRequest(`http://${NODE_A}:${web.nodePort}`)).toMatchObject({ status: 200, body: 'pod-0\n' });

    const current = await cp.slices.get('web-abc', { namespace: 'default' });
    await cp.slices.update({ ...current, endpoints: slice('web', [BACKEND_IPS[1] ?? '']).endpoints }, { namespace: 'default' });
    const written = performance.now();
    await waitFor(async () => (await httpRequest(`http://${web.ip}`)).body === 'pod-1\n', { intervalMs: 1, timeoutMs: 2000 });
    const reaction = performance.now() - written;
    console.log(`EndpointSlice change applied by the proxy after ${reaction.toFixed(1)} ms`);
    expect(reaction).toBeLessThan(UPDATE_BOUND_MS);

    const metrics = await a.metrics();
    const labels = { service: 'default/web', port: 'http' };
    expect(metricValue(metrics, 'kite_proxy_requests_total', { ...labels, code: '200' })).toBeGreaterThanOrEqual(3);
    expect(metricValue(metrics, 'kite_proxy_request_duration_seconds_count', labels)).toBeGreaterThanOrEqual(3);
    expect(metricValue(metrics, 'kite_proxy_ready_endpoints', labels)).toBe(1);
  });

  it('serves /livez, and its effective configuration at /configz without credentials', async () => {
    const { config, body } = await readConfigz(a.url, 'kubeproxy.config.k8s.io');
    expect(config).toMatchObject({ nodeName: `node-${NODE_A}`, nodeIP: NODE_A, port: Number(new URL(a.url).port), bindClusterIPs: true, activatorTimeoutMs: 30_000 });
    expect(Object.keys(config.apiserver as object)).toEqual(['server']);
    expect(body).not.toContain('-----BEGIN');
  });

  it('frees the ClusterIP and NodePort of a deleted Service', async () => {
    const gone = await createWeb('gone', BACKEND_IPS);
    await waitListener(a, `${gone.ip}:80`, 'bound');
    await cp.services.delete('gone', { namespace: 'default' });
    await waitFor(async () => !(await a.listeners()).some((l) => l.service === 'default/gone' || l.key === `${gone.ip}:80`), { message: 'listeners of default/gone closed' });
    for (const [host, port] of [[gone.ip, 80], [NODE_A, gone.nodePort]] as const) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, host, () => resolve()));
      await new Promise<void>((resolve) => probe.close(() => resolve()));
    }
  });

  it('runs beside a second proxy on the same machine: one binds each ClusterIP, the other stands by and takes over', async () => {
    const shared = await createWeb('shared', BACKEND_IPS);
    await waitListener(a, `${shared.ip}:80`, 'bound');
    const b = await startProxy(cp.apiserver, NODE_B);
    try {
      await waitListener(b, `${shared.ip}:80`, 'standby');
      await waitListener(b, `${NODE_B}:${shared.nodePort}`, 'bound');
      expect((await httpRequest(`http://${NODE_B}:${shared.nodePort}`)).status).toBe(200);
      await a.stop();
      const stopped = performance.now();
      await waitListener(b, `${shared.ip}:80`, 'bound');
      expect(performance.now() - stopped).toBeLessThan(3000);
      expect((await httpRequest(`http://${shared.ip}`)).status).toBe(200);
      a = await startProxy(cp.apiserver, NODE_A);
      await waitListener(a, `${shared.ip}:80`, 'standby');
    } finally {
      await b.stop();
    }
  });

  it('binds 200 Services created concurrently, each on its own ClusterIP, answering 503 until they have endpoints', async () => {
    const created = await Promise.all(Array.from({ length: MANY }, (_, i) => cp.services.create(service(`many-${i}`), { namespace: 'default' })));
    const ips = created.map((s) => s.spec?.clusterIP ?? '');
    expect(new Set(ips).size).toBe(MANY);
    await waitFor(async () => (await a.listeners()).filter((l) => l.service.startsWith('default/many-') && l.state === 'bound').length === MANY, { timeoutMs: 20_000, message: `${MANY} listeners bound` });
    for (const ip of ips.filter((_, i) => i % 20 === 0)) {
      expect(await httpRequest(`http://${ip}`)).toMatchObject({ status: 503, body: expect.stringMatching(/^no ready endpoints for service default\/many-\d+ port http\n$/) });
    }
  });

  it('with --bind-cluster-ips=false binds NodePorts only', async () => {
    const c = await startProxy(cp.apiserver, '127.1.73.1', ['--bind-cluster-ips', 'false']);
    try {
      const svc = await cp.services.get('shared', { namespace: 'default' });
      await waitListener(c, `127.1.73.1:${svc.spec?.ports?.[0]?.nodePort ?? 0}`, 'bound');
      expect((await c.listeners()).every((l) => l.kind === 'node-port')).toBe(true);
    } finally {
      await c.stop();
    }
  });
});
