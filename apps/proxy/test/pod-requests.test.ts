// kite_proxy_endpoint_requests_total{namespace,service,pod}: one count per request sent to a pod
// (pod from the endpoint's targetRef), the series of a pod dropped when it stops being a ready
// endpoint (once it has had no request for RECENT_REQUEST_GRACE_MS) and of a Service when it goes;
// the apiserver turns these into http_requests_per_second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { ProxyMetrics, RECENT_REQUEST_GRACE_MS } from '../src/metrics.js';
import { Proxier } from '../src/proxier.js';
import { startBackend, type TestBackend } from './support/backends.js';
import { FakeCatalog } from './support/fake-catalog.js';
import { httpRequest } from './support/http.js';
import { service, slice } from './support/objects.js';

const NODE_IP = '127.1.76.1';
const CLUSTER_IP = '127.46.0.50';
const IPS = ['127.93.0.2', '127.93.0.3'];
const URL = `http://${CLUSTER_IP}`;

let backends: TestBackend[];
let catalog: FakeCatalog;
let proxier: Proxier;
let registry: Registry;
/** The metrics' clock: the test moves it past the grace. */
let now = 1_000_000;

/** `pod → count` of the counter's series for default/web. */
async function counts(): Promise<Record<string, number>> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === 'kite_proxy_endpoint_requests_total');
  const out: Record<string, number> = {};
  for (const v of m?.values ?? []) if (v.labels.namespace === 'default' && v.labels.service === 'web') out[String(v.labels.pod)] = v.value;
  return out;
}

const applied = async () => {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
};

beforeAll(async () => {
  backends = await Promise.all(IPS.map((ip, i) => startBackend(`pod-${i}`, ip, 8080)));
  catalog = new FakeCatalog();
  registry = new Registry();
  proxier = new Proxier({ catalog, metrics: new ProxyMetrics(registry, () => now), log: createLogger('pod-requests-test', 'silent'), nodeIP: NODE_IP, bindClusterIPs: true });
  catalog.setService(service('web', { clusterIP: CLUSTER_IP }));
  catalog.setSlice(slice('web', [{ ip: IPS[0] ?? '', pod: 'web-a' }, { ip: IPS[1] ?? '', pod: 'web-b' }]));
  await proxier.start();
  await waitFor(() => proxier.listenerStates().some((l) => l.key === `${CLUSTER_IP}:80` && l.state === 'bound'), { message: 'listener bound' });
});
afterAll(async () => {
  await proxier.stop(0);
  await Promise.all(backends.map((b) => b.close()));
});

describe('per-pod request counter', () => {
  it('counts each request for the pod it went to', async () => {
    for (let i = 0; i < 6; i++) expect((await httpRequest(URL)).status).toBe(200);
    expect(await counts()).toEqual({ 'web-a': 3, 'web-b': 3 });
  });

  it('drops the series of a pod that is no longer a ready endpoint once its grace is over, and counts endpoints without a targetRef as pod ""', async () => {
    catalog.setSlice(slice('web', [{ ip: IPS[0] ?? '', pod: 'web-a' }, { ip: IPS[1] ?? '', ready: false, pod: 'web-b' }]));
    await applied();
    // Just used: kept (the activator may have counted it before any slice named it ready).
    expect(await counts()).toEqual({ 'web-a': 3, 'web-b': 3 });
    now += RECENT_REQUEST_GRACE_MS;
    catalog.setSlice(slice('web', [{ ip: IPS[0] ?? '', pod: 'web-a' }, { ip: IPS[1] ?? '', ready: false, pod: 'web-b' }, { ip: '127.93.0.9', ready: false, pod: 'web-c' }]));
    await applied();
    expect(await counts()).toEqual({ 'web-a': 3 });
    now += RECENT_REQUEST_GRACE_MS;
    catalog.setSlice(slice('web', [IPS[1] ?? '']));
    await applied();
    await httpRequest(URL);
    expect(await counts()).toEqual({ '': 1 });
  });

  it('drops every series of a removed Service', async () => {
    catalog.deleteService('default/web');
    await applied();
    expect(await counts()).toEqual({});
  });
});
