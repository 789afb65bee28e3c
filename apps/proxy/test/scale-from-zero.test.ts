// Issue 13 acceptance for scale from zero, end to end with real processes (zero-cluster.ts): a
// Deployment of the hello-http Wasm example at 0 replicas, annotated
// `kite.dev/scale-to-zero-after: 3s`, behind a Service. The first request to the ClusterIP is
// held by the proxy's activator, which scales the Deployment to 1, and answered by the new pod;
// once no request has reached it for 3 s (seen through the apiserver's http_requests_per_second
// custom metric), the controller manager scales it back to 0 and the pod goes away. A second
// proxy with a short --activator-timeout and a queue limit of 2 serves a Deployment whose image
// does not exist: a held request is answered with the 503 Status past the timeout, and a request
// beyond the queue limit at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventResource, ServiceResource, type Service } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { waitListener, type ProxyProcess } from './support/cluster.js';
import { httpRequest, type Reply } from './support/http.js';
import { metricValue } from './support/prom.js';
import { podsOf, startZeroCluster, zeroDeployment, zeroService, type ZeroCluster } from './support/zero-cluster.js';

/** This file's own node, service CIDR and second proxy address. */
const SUBNET = 81;
const SERVICE_CIDR = '127.47.0.0/24';
const SECOND_PROXY_IP = '127.1.81.2';
const IDLE = '3s';
const ACTIVATOR_TIMEOUT_MS = 2000;
const QUEUE_LIMIT = 2;
/** A cold start on a loaded 2-core machine: generous, the benchmark measures the real figure. */
const FIRST_REQUEST_TIMEOUT_MS = 25_000;
/** Idle time + metric resolution + sync period, with room for a loaded machine. */
const BACK_TO_ZERO_TIMEOUT_MS = 60_000;

let c: ZeroCluster;
let second: ProxyProcess;
let hello: Service;
let broken: Service;

const ns = { namespace: 'default' };
const replicas = async (name: string) => (await c.deployments.get(name, ns)).spec?.replicas;
const nodePortURL = (svc: Service) => `http://${SECOND_PROXY_IP}:${svc.spec?.ports?.[0]?.nodePort ?? 0}/`;

async function eventReasons(kind: string, name: string): Promise<string[]> {
  const events = await c.cp.client.resource(EventResource).list({ namespace: 'default', fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
  return events.items.map((e) => e.reason ?? '');
}

function expectStatus(r: Reply, ...why: string[]): void {
  expect(r.status, r.body).toBe(503);
  const body = JSON.parse(r.body) as Record<string, unknown>;
  expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', code: 503 });
  for (const w of why) expect(body.message).toContain(w);
}

beforeAll(async () => {
  c = await startZeroCluster({ subnet: SUBNET, serviceCIDR: SERVICE_CIDR, metricResolution: '1s', syncPeriod: '1s' });
  second = await c.addProxy(SECOND_PROXY_IP, ['--bind-cluster-ips=false', '--activator-timeout', `${ACTIVATOR_TIMEOUT_MS}ms`, '--activator-queue-limit', String(QUEUE_LIMIT)]);
  const services = c.cp.client.resource(ServiceResource);
  hello = await services.create(zeroService('hello-http'), ns);
  broken = await services.create(zeroService('broken', 'NodePort'), ns);
  await c.deployments.create(zeroDeployment('hello-http', IDLE), ns);
  await c.deployments.create(zeroDeployment('broken', IDLE, (spec) => ({ ...spec, containers: spec.containers.map((x) => ({ ...x, image: 'hello-http/build/no-such-image.wasm' })) })), ns);
  await waitListener(c.proxy, `${hello.spec?.clusterIP ?? ''}:80`, 'bound');
  await waitListener(second, `${SECOND_PROXY_IP}:${broken.spec?.ports?.[0]?.nodePort ?? 0}`, 'bound');
}, 120_000);
afterAll(async () => {
  await c?.stop();
});

describe('scale from zero', () => {
  it('answers the first request at zero replicas correctly, and is back at zero after the idle time', async () => {
    expect(await replicas('hello-http')).toBe(0);
    expect(await podsOf(c, 'hello-http', true)).toEqual([]);
    const t0 = performance.now();
    const r = await httpRequest(`http://${hello.spec?.clusterIP ?? ''}/`, { timeoutMs: FIRST_REQUEST_TIMEOUT_MS });
    const firstMs = performance.now() - t0;
    console.log(`first request from zero answered in ${Math.round(firstMs)} ms`);
    expect(r.status, r.body).toBe(200);
    const pod = /^hello from (hello-http-\S+) version v1\n$/.exec(r.body)?.[1];
    expect(pod, r.body).toBeDefined();
    expect(await replicas('hello-http')).toBe(1);
    expect(metricValue(await c.proxy.metrics(), 'kite_proxy_endpoint_requests_total', { namespace: 'default', service: 'hello-http', pod: pod ?? '' })).toBe(1);
    expect((await httpRequest(`http://${hello.spec?.clusterIP ?? ''}/`)).body).toBe(r.body);

    const served = performance.now();
    await waitFor(async () => (await replicas('hello-http')) === 0, { timeoutMs: BACK_TO_ZERO_TIMEOUT_MS, intervalMs: 100, message: 'hello-http back at 0 replicas' });
    const idleMs = performance.now() - served;
    console.log(`back at zero ${Math.round(idleMs)} ms after the last request (${IDLE} idle)`);
    expect(idleMs).toBeGreaterThanOrEqual(3000);
    await waitFor(async () => (await podsOf(c, 'hello-http', true)).length === 0, { timeoutMs: 30_000, message: 'the pod gone' });
    expect(await eventReasons('Deployment', 'hello-http')).toEqual(expect.arrayContaining(['ScaledFromZero', 'ScaledToZero']));
  }, 150_000);

  it('answers a held request with a 503 Status once --activator-timeout has passed without a ready pod', async () => {
    const t0 = performance.now();
    const r = await httpRequest(nodePortURL(broken), { timeoutMs: 20_000 });
    const ms = performance.now() - t0;
    expectStatus(r, 'service default/broken has no ready endpoint after 2s', '--activator-timeout');
    expect(ms).toBeGreaterThanOrEqual(ACTIVATOR_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(ACTIVATOR_TIMEOUT_MS + 5000);
    expect(await eventReasons('Deployment', 'broken')).toContain('ScaledFromZero');
  }, 30_000);

  it('answers a request beyond --activator-queue-limit with a 503 Status at once', async () => {
    const held = Array.from({ length: QUEUE_LIMIT }, () => httpRequest(nodePortURL(broken), { timeoutMs: 20_000 }));
    await waitFor(async () => metricValue(await second.metrics(), 'kite_proxy_activator_held_requests', { service: 'default/broken' }) === QUEUE_LIMIT, { message: `${QUEUE_LIMIT} requests held` });
    const t0 = performance.now();
    const r = await httpRequest(nodePortURL(broken));
    expect(performance.now() - t0).toBeLessThan(1000);
    expectStatus(r, 'service default/broken', `already holds ${QUEUE_LIMIT} requests`, '--activator-queue-limit');
    for (const h of await Promise.all(held)) expectStatus(h, '--activator-timeout');
  }, 30_000);
});
