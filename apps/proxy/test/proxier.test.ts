// The proxier in-process, on real sockets: a fake catalog stands in for the apiserver and plain
// Node servers for pods. Covers the data-path contract of issue 6 quickly and deterministically.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry, createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { Proxier } from '../src/proxier.js';
import { ProxyMetrics } from '../src/metrics.js';
import { MAX_REPLAY_BYTES } from '../src/forward/body-replay.js';
import { FakeCatalog } from './support/fake-catalog.js';
import { startBackend, type TestBackend } from './support/backends.js';
import { httpRequest, upgradeExchange } from './support/http.js';
import { service, slice } from './support/objects.js';

const NODE_IP = '127.1.70.1';
const CLUSTER_IP = '127.41.0.1';
const NODE_PORT = 30080;
const BACKEND_IPS = ['127.90.0.1', '127.90.0.2', '127.90.0.3'];
/** An address nothing listens on: connections to it are refused. */
const DEAD_IP = '127.90.0.9';
const URL_CLUSTER = `http://${CLUSTER_IP}`;
const URL_NODE = `http://${NODE_IP}:${NODE_PORT}`;
const log = createLogger('proxy-test', 'silent');

let backends: TestBackend[] = [];
let catalog: FakeCatalog;
let proxier: Proxier;
let registry: Registry;

function newProxier(c: FakeCatalog, nodeIP: string): { proxier: Proxier; registry: Registry } {
  const reg = new Registry();
  return { proxier: new Proxier({ catalog: c, metrics: new ProxyMetrics(reg), log, nodeIP, bindClusterIPs: true }), registry: reg };
}

const webService = (extra: Parameters<typeof service>[1] = {}) =>
  service('web', { clusterIP: CLUSTER_IP, type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: NODE_PORT, protocol: 'TCP' }], ...extra });

async function bound(p: Proxier, key: string): Promise<void> {
  await waitFor(() => p.listenerStates().some((l) => l.key === key && l.state === 'bound'), { message: `${key} bound` });
}

/** The fake catalog notifies in a microtask and the proxier applies on the next turn: wait both. */
async function applied(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function metric(reg: Registry, name: string): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
}

beforeAll(async () => {
  backends = await Promise.all(BACKEND_IPS.map((ip, i) => startBackend(`pod-${i}`, ip, 8080)));
});
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

describe('Proxier', () => {
  beforeAll(async () => {
    catalog = new FakeCatalog();
    ({ proxier, registry } = newProxier(catalog, NODE_IP));
    catalog.setService(webService());
    catalog.setSlice(slice('web', BACKEND_IPS));
    await proxier.start();
    await bound(proxier, `${CLUSTER_IP}:80`);
    await bound(proxier, `${NODE_IP}:${NODE_PORT}`);
  });
  afterAll(async () => {
    await proxier.stop(0);
  });
  afterEach(() => {
    catalog.setService(webService());
    catalog.setSlice(slice('web', BACKEND_IPS));
  });

  it.each([
    ['ClusterIP', URL_CLUSTER],
    ['NodePort', URL_NODE],
  ])('round-robins evenly over ready endpoints through the %s', async (_name, url) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const r = await httpRequest(url);
      expect(r.status).toBe(200);
      counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
  });

  it('sets X-Forwarded-For to the client address, extending an existing one', async () => {
    await httpRequest(URL_CLUSTER, { localAddress: '127.5.5.5' });
    const got = await Promise.all(backends.map(async (b) => b.lastHeaders?.['x-forwarded-for']));
    expect(got).toContain('127.5.5.5');
    const r = await httpRequest(`${URL_CLUSTER}/echo`, { method: 'POST', body: 'x', headers: { 'x-forwarded-for': '203.0.113.9' }, localAddress: '127.5.5.6' });
    const seen = backends.find((b) => r.body.startsWith(`${b.name}:`))?.lastHeaders;
    expect(seen?.['x-forwarded-for']).toBe('203.0.113.9, 127.5.5.6');
    expect(seen?.['x-forwarded-proto']).toBe('http');
  });

  it('answers 503 with a short message at once when no endpoint is ready, and serves again within 100 ms of a ready one', async () => {
    catalog.setSlice(slice('web', BACKEND_IPS.map((ip) => ({ ip, ready: false }))));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).status === 503);
    const t0 = performance.now();
    const r = await httpRequest(URL_CLUSTER);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(r.body).toBe('no ready endpoints for service default/web port http\n');
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    const changed = performance.now();
    catalog.setSlice(slice('web', [BACKEND_IPS[0] ?? '']));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).status === 200, { intervalMs: 1 });
    expect(performance.now() - changed).toBeLessThan(100);
    expect(await metric(registry, 'kite_proxy_request_errors_total')).toBeGreaterThanOrEqual(1);
  });

  it('retries the next endpoint when one refuses the connection, for GET and for a POST body', async () => {
    catalog.setSlice(slice('web', [DEAD_IP, ...BACKEND_IPS]));
    await applied();
    const retriesBefore = await metric(registry, 'kite_proxy_retries_total');
    for (let i = 0; i < 12; i++) expect((await httpRequest(URL_CLUSTER)).status).toBe(200);
    const body = 'b'.repeat(10_000);
    for (let i = 0; i < 4; i++) {
      const r = await httpRequest(`${URL_CLUSTER}/echo`, { method: 'POST', body });
      expect(r.status).toBe(200);
      expect(r.body).toMatch(new RegExp(`^pod-\\d:${body}$`));
    }
    expect(await metric(registry, 'kite_proxy_retries_total')).toBeGreaterThan(retriesBefore);
  });

  it('gives up with 502 when every endpoint refuses, and does not retry a body too large to keep', async () => {
    catalog.setSlice(slice('web', [DEAD_IP, '127.90.0.8']));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).status === 502);
    expect((await httpRequest(URL_CLUSTER)).body).toMatch(/^all 2 endpoints of default\/web failed \(last: ECONNREFUSED\)/);
    catalog.setSlice(slice('web', [DEAD_IP, BACKEND_IPS[0] ?? '']));
    const big = 'x'.repeat(MAX_REPLAY_BYTES + 1);
    const statuses = new Set<number>();
    for (let i = 0; i < 4; i++) statuses.add((await httpRequest(`${URL_CLUSTER}/echo`, { method: 'POST', body: big })).status);
    expect([...statuses].sort()).toEqual([200, 502]);
  });

  it('honours sessionAffinity ClientIP: one client keeps its pod, other clients spread', async () => {
    catalog.setService(webService({ affinitySeconds: 60 }));
    await applied();
    const of = async (client: string) => new Set(await Promise.all(Array.from({ length: 5 }, async () => (await httpRequest(URL_CLUSTER, { localAddress: client })).body)));
    const a = await of('127.6.0.1');
    expect(a.size).toBe(1);
    const others = new Set<string>();
    for (let i = 2; i < 8; i++) for (const body of await of(`127.6.0.${i}`)) others.add(body);
    expect(others.size).toBe(3);
  });

  it('passes WebSocket upgrades through to a backend, and refuses them with 503 without endpoints', async () => {
    const text = await upgradeExchange(CLUSTER_IP, 80, 'hello');
    expect(text).toMatch(/^HTTP\/1.1 101 Switching Protocols/);
    expect(text).toMatch(/pod-\d:hello/);
    catalog.setSlice(slice('web', []));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).status === 503);
    expect(await upgradeExchange(CLUSTER_IP, 80, 'hello')).toMatch(/^HTTP\/1.1 503 .*no ready endpoints/s);
  });

  it('lets requests in flight finish when their endpoint leaves the set', async () => {
    catalog.setSlice(slice('web', [BACKEND_IPS[0] ?? '']));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).body === 'pod-0\n');
    const slow = httpRequest(`${URL_CLUSTER}/slow?ms=400`);
    await waitFor(() => backends[0]?.paths.includes('/slow?ms=400'));
    catalog.setSlice(slice('web', [BACKEND_IPS[1] ?? '']));
    await waitFor(async () => (await httpRequest(URL_CLUSTER)).body === 'pod-1\n');
    expect(await slow).toMatchObject({ status: 200, body: 'pod-0 slow\n' });
  });
});

describe('Proxier listeners', () => {
  it('gives an address two Services claim to the first, and to the second once the first is gone', async () => {
    const c = new FakeCatalog();
    c.setService(service('first', { clusterIP: '127.41.0.9' }));
    c.setSlice(slice('first', [BACKEND_IPS[0] ?? '']));
    const { proxier: p } = newProxier(c, '127.1.70.3');
    await p.start();
    await bound(p, '127.41.0.9:80');
    c.setService(service('second', { clusterIP: '127.41.0.9' }));
    c.setSlice(slice('second', [BACKEND_IPS[1] ?? '']));
    await applied();
    expect((await httpRequest('http://127.41.0.9')).body).toBe('pod-0\n');
    c.deleteService('default/first');
    await waitFor(async () => (await httpRequest('http://127.41.0.9').catch(() => undefined))?.body === 'pod-1\n', { message: 'second service serves the address' });
    await p.stop(0);
  });

  it('frees the ports of a removed Service, and a second proxy stands by for a ClusterIP until the first lets go', async () => {
    const c = new FakeCatalog();
    c.setService(webService());
    c.setSlice(slice('web', BACKEND_IPS));
    const a = newProxier(c, NODE_IP).proxier;
    const b = newProxier(c, '127.1.70.2').proxier;
    await a.start();
    await bound(a, `${CLUSTER_IP}:80`);
    await b.start();
    await bound(b, `127.1.70.2:${NODE_PORT}`);
    await waitFor(() => b.listenerStates().find((l) => l.key === `${CLUSTER_IP}:80`)?.state === 'standby');
    await a.stop(0);
    const stopped = performance.now();
    await bound(b, `${CLUSTER_IP}:80`);
    expect(performance.now() - stopped).toBeLessThan(2500);
    expect((await httpRequest(URL_CLUSTER)).status).toBe(200);
    c.deleteService('default/web');
    await waitFor(() => b.listenerStates().length === 0);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(80, CLUSTER_IP, () => resolve()));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await b.stop(0);
  });
});
