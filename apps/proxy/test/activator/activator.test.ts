// The activator inside a real Proxier, on real sockets: a fake catalog and Deployment list stand
// in for the apiserver, a plain Node server for the pod that "starts" when the test publishes its
// endpoint. Covers holding, one scale-up per activation, release on the first ready endpoint, the
// queue limit, the timeout, the client that leaves, and the unchanged answer for other Services.
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCALE_TO_ZERO_AFTER_ANNOTATION, type Deployment, type Pod } from '@kite/api-types';
import { Registry, createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { Activator } from '../../src/activator/activator.js';
import { activationTarget } from '../../src/activator/match.js';
import type { PodSource } from '../../src/activator/ready-pods.js';
import { ScaleOutcomes, type ReplicaRequester, type ScaleOutcome } from '../../src/activator/scaler.js';
import { ProxyMetrics } from '../../src/metrics.js';
import { Proxier } from '../../src/proxier.js';
import { startBackend, type TestBackend } from '../support/backends.js';
import { FakeCatalog } from '../support/fake-catalog.js';
import { httpRequest, type Reply } from '../support/http.js';
import { service, slice } from '../support/objects.js';

const NODE_IP = '127.1.75.1';
const POD_IP = '127.93.0.1';
const POD = 'web-7d4b9-x2x8k';
const log = createLogger('activator-test', 'silent');

const deployment = (name: string, annotated: boolean): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(annotated ? { annotations: { [SCALE_TO_ZERO_AFTER_ANNOTATION]: '60s' } } : {}) },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x.wasm' }] } } },
  }) as Deployment;

/** Counts calls; answers with what the test scripted. */
class ScriptedRequester implements ReplicaRequester {
  calls = 0;
  constructor(private readonly answer: () => Promise<ScaleOutcome>) {}
  requestReplica(): Promise<ScaleOutcome> {
    this.calls++;
    return this.answer();
  }
}

interface Setup {
  catalog: FakeCatalog;
  proxier: Proxier;
  registry: Registry;
  requester: ScriptedRequester;
  url: string;
}

let pod: TestBackend;
let current: Setup | undefined;
let nextIP = 1;

/** Stands in for the apiserver's pods watch: the test says which pods the Service has. */
class ScriptedPods {
  watching: { namespace: string; selector: Readonly<Record<string, string>>; onChange: (pods: Pod[]) => void; stopped: boolean }[] = [];
  readonly source: PodSource = (namespace, selector, onChange) => {
    const w = { namespace, selector, onChange: onChange as (pods: Pod[]) => void, stopped: false };
    this.watching.push(w);
    return { stop: () => void (w.stopped = true) };
  };
  emit(pods: Pod[]): void {
    for (const w of this.watching) if (!w.stopped) w.onChange(pods);
  }
  active(): number {
    return this.watching.filter((w) => !w.stopped).length;
  }
}

const webPod = (name: string, ip: string, o: { ready?: boolean; deleting?: boolean } = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'x.wasm', ports: [{ containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  }) as Pod;

/** A Running pod not Ready yet whose container declares an httpGet readiness probe on `port`. */
const startingPod = (name: string, ip: string, port: number): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, uid: `uid-${name}`, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'x.wasm', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port } } }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'x.wasm', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] },
  }) as Pod;

async function setup(opts: { queueLimit?: number; timeoutMs?: number; answer?: () => Promise<ScaleOutcome>; annotated?: boolean; pods?: PodSource } = {}): Promise<Setup> {
  const catalog = new FakeCatalog();
  const registry = new Registry();
  const metrics = new ProxyMetrics(registry);
  const requester = new ScriptedRequester(opts.answer ?? (async () => ScaleOutcomes.ScaledUp));
  const deployments = [deployment('web', opts.annotated ?? true)];
  const activator = new Activator({
    deployments: { targetFor: (svc) => activationTarget(svc, deployments) },
    services: (key) => catalog.service(key),
    scaler: requester,
    ...(opts.pods ? { pods: opts.pods } : {}),
    metrics,
    log,
    queueLimit: opts.queueLimit ?? 100,
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
  const clusterIP = `127.46.0.${nextIP++}`;
  catalog.setService(service('web', { clusterIP, selector: { app: 'web' } }));
  catalog.setSlice(slice('web', []));
  const proxier = new Proxier({ catalog, metrics, log, nodeIP: NODE_IP, bindClusterIPs: true, activator });
  await proxier.start();
  await waitFor(() => proxier.listenerStates().some((l) => l.key === `${clusterIP}:80` && l.state === 'bound'), { message: 'listener bound' });
  current = { catalog, proxier, registry, requester, url: `http://${clusterIP}` };
  return current;
}

async function metric(reg: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want)).reduce((sum, v) => sum + Number(v.value), 0);
}

const held = (s: Setup) => metric(s.registry, 'kite_proxy_activator_held_requests', { service: 'default/web' });
const podReady = (s: Setup) => s.catalog.setSlice(slice('web', [{ ip: POD_IP, pod: POD }]));

function expectStatus(r: Reply, ...why: string[]): void {
  expect(r.status).toBe(503);
  expect(r.headers['content-type']).toBe('application/json');
  const body = JSON.parse(r.body) as Record<string, unknown>;
  expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'ServiceUnavailable', code: 503 });
  for (const w of why) expect(body.message).toContain(w);
}

beforeAll(async () => {
  pod = await startBackend('pod-0', POD_IP, 8080);
});
afterAll(async () => {
  await pod.close();
});
afterEach(async () => {
  await current?.proxier.stop(0);
  current = undefined;
});

describe('Activator', () => {
  it('holds concurrent first requests, asks for one replica once, and forwards them all on the first ready endpoint', async () => {
    const s = await setup();
    const replies = Promise.all(Array.from({ length: 5 }, () => httpRequest(s.url)));
    await waitFor(async () => (await held(s)) === 5, { message: '5 requests held' });
    expect(s.requester.calls).toBe(1);
    podReady(s);
    for (const r of await replies) expect(r).toMatchObject({ status: 200, body: 'pod-0\n' });
    expect(s.requester.calls).toBe(1);
    expect(await metric(s.registry, 'kite_proxy_endpoint_requests_total', { namespace: 'default', service: 'web', pod: POD })).toBe(5);
    expect(await metric(s.registry, 'kite_proxy_activator_activations_total')).toBe(1);
    expect((await httpRequest(s.url)).status).toBe(200);
    expect(s.requester.calls).toBe(1);
  });

  it('forwards held requests to the first Ready pod its own pods watch reports, before any EndpointSlice names it', async () => {
    const pods = new ScriptedPods();
    const s = await setup({ pods: pods.source });
    const replies = Promise.all(Array.from({ length: 3 }, () => httpRequest(s.url)));
    await waitFor(async () => (await held(s)) === 3, { message: '3 requests held' });
    expect(pods.watching).toMatchObject([{ namespace: 'default', selector: { app: 'web' }, stopped: false }]);
    // Pods that must not get traffic: not Ready yet, and Ready but being deleted.
    pods.emit([webPod('web-a', '127.93.0.9', { ready: false }), webPod('web-b', '127.93.0.8', { deleting: true })]);
    await new Promise((r) => setImmediate(r));
    expect(await held(s)).toBe(3);
    pods.emit([webPod(POD, POD_IP)]);
    for (const r of await replies) expect(r).toMatchObject({ status: 200, body: 'pod-0\n' });
    expect(await metric(s.registry, 'kite_proxy_endpoint_requests_total', { namespace: 'default', service: 'web', pod: POD })).toBe(3);
    // Nothing is held any more: the Activation ended and its watch with it.
    expect(pods.active()).toBe(0);
    expect(s.requester.calls).toBe(1);
  });

  it('forwards to a Running pod once its own readiness probe passes when the activator runs it, before the kubelet calls it Ready', async () => {
    const pods = new ScriptedPods();
    const s = await setup({ pods: pods.source });
    const replies = Promise.all(Array.from({ length: 2 }, () => httpRequest(s.url)));
    await waitFor(async () => (await held(s)) === 2, { message: '2 requests held' });
    const probePaths = pod.paths.length;
    // Its readiness probe fails (8081 answers 503): it is checked again and again, and gets nothing.
    let failedProbes = 0;
    const unready = createServer((_req, res) => {
      failedProbes++;
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => unready.listen(8081, POD_IP, r));
    try {
      pods.emit([startingPod('web-a', POD_IP, 8081)]);
      await waitFor(() => failedProbes >= 3, { message: 'the failing probe retried' });
      expect(await held(s)).toBe(2);
      expect(pod.paths.length).toBe(probePaths);
    } finally {
      await new Promise((r) => unready.close(r));
    }
    // Its probe passes (the backend answers GET /ready with 200): the held requests go to it.
    pods.emit([startingPod(POD, POD_IP, 8080)]);
    for (const r of await replies) expect(r).toMatchObject({ status: 200, body: 'pod-0\n' });
    expect(pod.paths.slice(probePaths)).toEqual(['/ready', '/', '/']);
    expect(pod.lastHeaders?.['user-agent']).not.toBe('kite-activator-probe');
    expect(pods.active()).toBe(0);
  });

  it('answers past the queue limit with a 503 Status at once, and still forwards the held ones', async () => {
    const s = await setup({ queueLimit: 2 });
    const first = [httpRequest(s.url), httpRequest(s.url)];
    await waitFor(async () => (await held(s)) === 2, { message: '2 requests held' });
    const t0 = performance.now();
    expectStatus(await httpRequest(s.url), 'default/web', 'already holds 2 requests', '--activator-queue-limit');
    expect(performance.now() - t0).toBeLessThan(1000);
    podReady(s);
    for (const r of await Promise.all(first)) expect(r.status).toBe(200);
    expect(await metric(s.registry, 'kite_proxy_request_errors_total', { reason: 'activation_queue_full' })).toBe(1);
  });

  it('answers a 503 Status after the timeout, naming the Service and why scaling did not help', async () => {
    const s = await setup({ timeoutMs: 300, answer: () => Promise.reject(new Error('deployments.apps "web" is forbidden')) });
    const t0 = performance.now();
    const r = await httpRequest(s.url);
    const ms = performance.now() - t0;
    expectStatus(r, 'service default/web has no ready endpoint after 0.3s', '--activator-timeout', 'asking deployment default/web for a replica failed: deployments.apps "web" is forbidden');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    expect(await metric(s.registry, 'kite_proxy_request_errors_total', { reason: 'activation_timeout' })).toBe(1);
    expect(await held(s)).toBe(0);
  });

  it('times out with a plain reason when the replica was granted but never became ready', async () => {
    const s = await setup({ timeoutMs: 200, answer: async () => ScaleOutcomes.Running });
    expectStatus(await httpRequest(s.url), 'after 0.2s', 'while deployment default/web scales up from zero');
  });

  it('forgets a held request whose client went away', async () => {
    const s = await setup();
    await expect(httpRequest(s.url, { timeoutMs: 200 })).rejects.toThrow(/timeout/);
    await waitFor(async () => (await held(s)) === 0, { message: 'nothing held' });
    const hits = pod.hits;
    podReady(s);
    expect((await httpRequest(s.url)).status).toBe(200);
    expect(pod.hits).toBe(hits + 1);
  });

  it('keeps the usual 503 for a Service whose pods no annotated Deployment runs', async () => {
    const s = await setup({ annotated: false });
    const r = await httpRequest(s.url);
    expect(r).toMatchObject({ status: 503, body: 'no ready endpoints for service default/web port http\n' });
    expect(s.requester.calls).toBe(0);
  });
});
