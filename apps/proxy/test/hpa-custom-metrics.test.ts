// The HorizontalPodAutoscaler on the custom metrics the proxies feed, end to end with real parts:
// redis-server, the apiserver over TLS scraping the proxy every second (custom.metrics.k8s.io),
// the scheduler, the controller manager with the HPA controller (1 s sync), a kubelet running
// examples/wasm-pods hello-http, and the node's proxy in front of two Services.
//
// HTTP load through each Service's ClusterIP (bounded: at most LOAD_MAX_MS, stopped once both
// HPAs have scaled) makes http_requests_per_second climb far above the targets:
// - a `Pods` metric (average per pod) scales Deployment `per-pod`;
// - an `Object` metric on the Service (the sum over its pods) scales Deployment `per-service`.
// Each must scale up within [min, max] and say why in its SuccessfulRescale Event and status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventResource, HorizontalPodAutoscalerResource, ServiceResource, type Deployment, type HorizontalPodAutoscaler, type MetricSpec, type Service } from '@kite/api-types';
import { httpLoad, waitFor } from '@kite/testing';
import { waitListener } from './support/cluster.js';
import { startZeroCluster, zeroDeployment, zeroService, type ZeroCluster } from './support/zero-cluster.js';

/** This file's own node (127.1.84.1), pods (127.64.84.0/24) and service CIDR. */
const SUBNET = 84;
const SERVICE_CIDR = '127.40.0.0/24';
const NS = 'default';
const MIN = 1;
const MAX = 3;
/** Requests per second the HPAs aim for: per pod, and summed over the Service. Any load exceeds them. */
const PER_POD_TARGET = '2';
const PER_SERVICE_TARGET = '4';
const LOAD_CONCURRENCY = 4;
const LOAD_MAX_MS = 60_000;
const READY_TIMEOUT_MS = 60_000;

let c: ZeroCluster;
const services = new Map<string, Service>();
const ns = { namespace: NS };

/** examples/wasm-pods/hello-http as Deployment `name` at one replica, without the scale-to-zero annotation. */
function deployment(name: string): Deployment {
  const d = zeroDeployment(name, '1h');
  return { ...d, metadata: { ...d.metadata, annotations: {} }, spec: { ...d.spec, replicas: MIN } } as Deployment;
}

function hpa(name: string, metric: MetricSpec): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: NS },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: MIN, maxReplicas: MAX, metrics: [metric] },
  };
}

const replicas = async (name: string) => (await c.deployments.get(name, ns)).spec?.replicas ?? 1;
const hpas = () => c.cp.client.resource(HorizontalPodAutoscalerResource);

beforeAll(async () => {
  c = await startZeroCluster({
    subnet: SUBNET,
    serviceCIDR: SERVICE_CIDR,
    metricResolution: '1s',
    syncPeriod: '10s',
    extraControllers: ['horizontalpodautoscaling'],
    managerArgs: ['--horizontal-pod-autoscaler-sync-period', '1s'],
  });
  for (const name of ['per-pod', 'per-service']) {
    const svc = await c.cp.client.resource(ServiceResource).create(zeroService(name), ns);
    services.set(name, svc);
    await c.deployments.create(deployment(name), ns);
    await waitListener(c.proxy, `${svc.spec?.clusterIP ?? ''}:80`, 'bound');
  }
  await waitFor(async () => (await Promise.all(['per-pod', 'per-service'].map(async (n) => (await c.deployments.get(n, ns)).status?.readyReplicas ?? 0))).every((r) => r === MIN), {
    timeoutMs: READY_TIMEOUT_MS,
    message: 'one ready pod per Deployment',
  });
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

describe('HorizontalPodAutoscaler on custom metrics from the proxy', () => {
  it('scales on a Pods metric and on an Object metric of the Service (http_requests_per_second)', async () => {
    await hpas().create(hpa('per-pod', { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: PER_POD_TARGET } } }), ns);
    await hpas().create(
      hpa('per-service', { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'per-service' }, metric: { name: 'http_requests_per_second' }, target: { type: 'Value', value: PER_SERVICE_TARGET } } }),
      ns,
    );
    const urls = [...services.values()].map((s) => `http://${s.spec?.clusterIP ?? ''}/`);
    const started = Date.now();
    const requests = await httpLoad({
      targets: async () => urls,
      until: async () => (await replicas('per-pod')) > MIN && (await replicas('per-service')) > MIN,
      maxMs: LOAD_MAX_MS,
      concurrency: LOAD_CONCURRENCY,
    });
    const upMs = Date.now() - started;
    for (const name of ['per-pod', 'per-service']) {
      const n = await replicas(name);
      expect(n, `${name}: no scale-up after ${upMs} ms and ${requests} requests: ${JSON.stringify((await hpas().get(name, ns)).status)}`).toBeGreaterThan(MIN);
      expect(n).toBeLessThanOrEqual(MAX);
    }

    const perPod = (await hpas().get('per-pod', ns)).status;
    const podMetric = perPod?.currentMetrics?.find((m) => m.type === 'Pods')?.pods;
    expect(podMetric?.metric.name).toBe('http_requests_per_second');
    expect(podMetric?.current.averageValue).toBeDefined();
    const perService = (await hpas().get('per-service', ns)).status;
    const objectMetric = perService?.currentMetrics?.find((m) => m.type === 'Object')?.object;
    expect(objectMetric).toMatchObject({ describedObject: { kind: 'Service', name: 'per-service' }, metric: { name: 'http_requests_per_second' } });
    expect(objectMetric?.current.value).toBeDefined();

    const events = (await c.cp.client.resource(EventResource).list(ns)).items.filter((e) => e.reason === 'SuccessfulRescale');
    expect(events.find((e) => e.involvedObject.name === 'per-pod')?.message).toMatch(/^New size: [23]; reason: pods metric http_requests_per_second above target$/);
    expect(events.find((e) => e.involvedObject.name === 'per-service')?.message).toMatch(/^New size: [23]; reason: Service metric http_requests_per_second above target$/);
    console.log(`custom-metric HPAs scaled up ${upMs} ms after the load started (${requests} requests); per pod ${podMetric?.current.averageValue}, per Service ${objectMetric?.current.value}`);
  }, 180_000);
});
