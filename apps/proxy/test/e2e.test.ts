// Issue 6 acceptance, end to end: redis-server, apiserver, controller manager, a kubelet running
// the hello-http Wasm example, the proxy and the cluster DNS — all real processes. The Deployment
// and slice controllers are the controller manager's when it has them (see support/workload.ts).
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointSliceResource, PodResource } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startControlPlane, startDns, startProxy, type ControlPlane, type DnsProcess, type ProxyProcess } from './support/cluster.js';
import { httpRequest, type Reply } from './support/http.js';
import { startKubelet, type KubeletNode } from './support/node.js';
import { metricValue } from './support/prom.js';
import { APP_LABEL, startHelloWorkload, type HelloWorkload } from './support/workload.js';

/** This file's own node, service CIDR and DNS address (see support/cluster.ts). */
const SUBNET = 61;
const SERVICE_CIDR = '127.43.0.0/24';
const DNS_ADDRESS = '127.0.10.2';
const REPLICAS = 3;
const REQUESTS = 300;
/** Each pod's least share of REQUESTS. */
const MIN_SHARE = 0.2;
/** Client loops sending at once while a pod is deleted. */
const CONCURRENCY = 4;
const POD_START_TIMEOUT_MS = 60_000;

let cp: ControlPlane;
let node: KubeletNode;
let proxy: ProxyProcess;
let workload: HelloWorkload;
let clusterURL: string;
let nodePortURL: string;

const podOf = (r: Reply): string => /^hello from (\S+) /.exec(r.body)?.[1] ?? `?${r.status}`;
const labels = { service: 'default/hello-http', port: 'http' };

async function readyEndpoints(): Promise<number> {
  return metricValue(await proxy.metrics(), 'kite_proxy_ready_endpoints', labels) ?? 0;
}

async function spread(url: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await httpRequest(url);
    expect(r.status, r.body).toBe(200);
    counts.set(podOf(r), (counts.get(podOf(r)) ?? 0) + 1);
  }
  return counts;
}

beforeAll(async () => {
  cp = await startControlPlane(SERVICE_CIDR);
  node = await startKubelet(cp.apiserver, SUBNET);
  proxy = await startProxy(cp.apiserver, node.nodeIP);
  workload = await startHelloWorkload(cp.apiserver, cp.client, node.nodeName, 'NodePort');
  console.log(`e2e modes: pods via ${workload.modes.pods}, slices via ${workload.modes.slices}`);
  const port = workload.service.spec?.ports?.[0];
  clusterURL = `http://${workload.service.spec?.clusterIP ?? ''}:${port?.port ?? 0}`;
  nodePortURL = `http://${node.nodeIP}:${port?.nodePort ?? 0}`;
  await workload.scale(REPLICAS);
  await waitFor(async () => (await readyEndpoints()) === REPLICAS, { timeoutMs: POD_START_TIMEOUT_MS, intervalMs: 100, message: `${REPLICAS} ready endpoints in the proxy` });
}, 120_000);
afterAll(async () => {
  await workload?.stop();
  await proxy?.stop();
  await node?.stop();
  await cp?.stop();
});

describe('hello-http behind a Service', () => {
  it.each([
    ['ClusterIP', () => clusterURL],
    ['NodePort', () => nodePortURL],
  ])(`spreads ${REQUESTS} requests through the %s over the ${REPLICAS} pods, each at least ${MIN_SHARE * 100}%`, async (_name, url) => {
    const counts = await spread(url());
    expect(counts.size).toBe(REPLICAS);
    for (const [pod, n] of counts) expect(n, pod).toBeGreaterThanOrEqual(REQUESTS * MIN_SHARE);
  });

  it('loses no request while a pod is deleted under load, beyond those in flight on it', async () => {
    const pods = cp.client.resource(PodResource);
    const slices = cp.client.resource(EndpointSliceResource);
    const victim = (await pods.list({ namespace: 'default', labelSelector: APP_LABEL })).items.find((p) => p.status?.podIP);
    const victimIP = victim?.status?.podIP ?? '';
    const results: { start: number; end: number; reply?: Reply; error?: string }[] = [];
    let stopAt = Number.POSITIVE_INFINITY;
    const loop = async () => {
      while (performance.now() < stopAt) {
        const start = performance.now();
        const reply = await httpRequest(clusterURL).catch((err: Error) => err.message);
        results.push(typeof reply === 'string' ? { start, end: performance.now(), error: reply } : { start, end: performance.now(), reply });
      }
    };
    const loops = Array.from({ length: CONCURRENCY }, loop);
    await waitFor(() => results.length >= 50, { message: 'traffic flowing' });
    await pods.delete(victim?.metadata.name ?? '', { namespace: 'default' });
    await waitFor(async () => !(await slices.list({ namespace: 'default' })).items.some((s) => s.endpoints.some((e) => e.addresses[0] === victimIP && e.conditions?.ready !== false)), { message: 'victim not ready in slices' });
    const removed = performance.now();
    await waitFor(() => results.filter((r) => r.start > removed).length >= 100, { message: 'traffic after removal' });
    stopAt = performance.now();
    await Promise.all(loops);
    const failed = results.filter((r) => r.error !== undefined || r.reply?.status !== 200);
    expect(failed.length, JSON.stringify(failed.slice(0, 5))).toBeLessThanOrEqual(CONCURRENCY);
    for (const f of failed) expect(f.start).toBeLessThan(removed);
    const after = results.filter((r) => r.start > removed + 100);
    expect(after.every((r) => r.reply?.status === 200 && podOf(r.reply) !== victim?.metadata.name)).toBe(true);
    const retries = metricValue(await proxy.metrics(), 'kite_proxy_retries_total', labels) ?? 0;
    console.log(`pod deletion under load: ${results.length} requests, ${failed.length} failed, ${retries} retried on another pod`);
  });

  it('answers 503 with a message at scale 0, and serves within a second of scaling back to 1', async () => {
    await workload.scale(0);
    const r = await waitFor(async () => {
      const x = await httpRequest(clusterURL);
      return x.status === 503 ? x : undefined;
    }, { timeoutMs: 30_000, message: '503 at scale 0' });
    expect(r.body).toBe('no ready endpoints for service default/hello-http port http\n');
    const scaled = performance.now();
    await workload.scale(1);
    await waitFor(async () => (await httpRequest(clusterURL)).status === 200, { timeoutMs: 10_000, intervalMs: 10, message: 'served after scaling to 1' });
    const ms = performance.now() - scaled;
    console.log(`scale 0 -> 1: served after ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(1000);
  });

  it('is found through the cluster DNS; an unknown name is not', async () => {
    const dns: DnsProcess = await startDns(cp.apiserver, DNS_ADDRESS);
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`${DNS_ADDRESS}:${dns.port}`]);
      const [ip] = await resolver.resolve4('hello-http.default.svc.cluster.local');
      expect(ip).toBe(workload.service.spec?.clusterIP);
      expect((await httpRequest(`http://${ip}`)).status).toBe(200);
      await expect(resolver.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    } finally {
      await dns.stop();
    }
  });
});
