// Endpoints and EndpointSlices acceptance: a Service follows its pods as they become ready,
// unready and deleted, within 100 ms of the pod's change (measured between the pod's watch event
// and the Endpoints' watch event, on one clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, EndpointSliceResource, EndpointsResource, PodResource, SERVICE_NAME_LABEL, ServiceResource, type Endpoints, type Pod, type Service } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';
import { isReady } from './helpers/watch.js';

/** The bound on endpoint propagation. */
const MAX_PROPAGATION_MS = 100;

let c: TestCluster;
const NS = 'svc';

beforeAll(async () => {
  c = await startCluster({ nodes: 3 });
  await createNamespace(c.client, NS);
  await c.client.resource(DeploymentResource).create(deployment(NS, 'web', { replicas: 3, ports: [{ name: 'http', containerPort: 8080 }] }));
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: NS, labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 9000, targetPort: 9090 }] },
  };
  await c.client.resource(ServiceResource).create(svc);
});
afterAll(async () => c?.stop());

const endpoints = () => c.client.resource(EndpointsResource).get('web', { namespace: NS });
const slices = async () => (await c.client.resource(EndpointSliceResource).list({ namespace: NS, labelSelector: `${SERVICE_NAME_LABEL}=web` })).items;
const readyIPs = (ep: Endpoints) => (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
const notReadyIPs = (ep: Endpoints) => (ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)).sort();

/** Watches pods and Endpoints; returns ms between the pod event matching `podDone` and the Endpoints event matching `epDone`. */
async function propagation(act: () => void | Promise<void>, podDone: (p: Pod) => boolean, epDone: (ep: Endpoints) => boolean): Promise<number> {
  const abort = new AbortController();
  const times: { pod?: number; ep?: number } = {};
  const rv = (await c.client.resource(PodResource).list({ namespace: NS, limit: 1 })).metadata.resourceVersion;
  const watchPods = (async () => {
    for await (const ev of c.client.resource(PodResource).watch({ namespace: NS, resourceVersion: rv, signal: abort.signal })) {
      if (ev.type !== 'BOOKMARK' && times.pod === undefined && podDone(ev.object)) times.pod = performance.now();
    }
  })().catch(() => undefined);
  const watchEps = (async () => {
    for await (const ev of c.client.resource(EndpointsResource).watch({ namespace: NS, resourceVersion: rv, signal: abort.signal })) {
      if (ev.type !== 'BOOKMARK' && times.ep === undefined && epDone(ev.object)) times.ep = performance.now();
    }
  })().catch(() => undefined);
  await act();
  await waitFor(() => times.pod !== undefined && times.ep !== undefined, { message: 'pod and endpoints events' });
  abort.abort();
  await Promise.all([watchPods, watchEps]);
  return (times.ep ?? 0) - (times.pod ?? 0);
}

describe('Endpoints and EndpointSlices', () => {
  it('list the ready pods of a Service with ports resolved by name and number', async () => {
    const ep = await waitFor(async () => {
      const e = await endpoints().catch(() => undefined);
      return e && readyIPs(e).length === 3 ? e : undefined;
    });
    expect(ep.metadata.labels).toEqual({ tier: 'front' });
    const subset = ep.subsets?.[0];
    expect(subset?.ports?.map((p) => [p.name, p.port]).sort()).toEqual([['admin', 9090], ['http', 8080]]);
    const addr = subset?.addresses?.[0];
    expect(addr?.targetRef).toMatchObject({ kind: 'Pod', namespace: NS });
    expect(addr?.nodeName).toMatch(/^hollow-/);
    const [slice] = await waitFor(async () => {
      const s = await slices();
      return s.length === 1 && s[0]?.endpoints.length === 3 ? s : undefined;
    });
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.endpoints.every((e) => e.conditions?.ready === true)).toBe(true);
    expect(slice?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
  });

  it('move an unready pod to notReadyAddresses and back, within 100 ms each way', async () => {
    const pods = (await c.client.resource(PodResource).list({ namespace: NS })).items.filter((p) => isReady(p) && !p.metadata.deletionTimestamp);
    const victim = pods[0];
    const name = victim?.metadata.name ?? '';
    const ip = victim?.status?.podIP ?? '';
    const down = await propagation(
      () => c.hollow.setReady(NS, name, false),
      (p) => p.metadata.name === name && !isReady(p),
      (ep) => notReadyIPs(ep).includes(ip) && !readyIPs(ep).includes(ip),
    );
    const slice = await waitFor(async () => (await slices()).find((s) => s.endpoints.some((e) => e.addresses[0] === ip && e.conditions?.ready === false)));
    expect(slice).toBeDefined();
    const up = await propagation(
      () => c.hollow.setReady(NS, name, true),
      (p) => p.metadata.name === name && isReady(p),
      (ep) => readyIPs(ep).includes(ip),
    );
    console.log(`endpoints propagation: unready ${down.toFixed(1)} ms, ready ${up.toFixed(1)} ms`);
    expect(down).toBeLessThan(MAX_PROPAGATION_MS);
    expect(up).toBeLessThan(MAX_PROPAGATION_MS);
  });

  it('drop a deleted pod within 100 ms and add its replacement', async () => {
    const pods = (await c.client.resource(PodResource).list({ namespace: NS })).items.filter((p) => isReady(p) && !p.metadata.deletionTimestamp);
    const victim = pods[0];
    const name = victim?.metadata.name ?? '';
    const ip = victim?.status?.podIP ?? '';
    const ms = await propagation(
      () => c.client.resource(PodResource).delete(name, { namespace: NS }).then(() => undefined),
      (p) => p.metadata.name === name && p.metadata.deletionTimestamp !== undefined,
      (ep) => !readyIPs(ep).includes(ip) && !notReadyIPs(ep).includes(ip),
    );
    console.log(`endpoints propagation: deleted ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(MAX_PROPAGATION_MS);
    await waitFor(async () => readyIPs(await endpoints()).length === 3);
    await waitFor(async () => (await slices()).flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready).length === 3);
  });

  it('are removed with their Service', async () => {
    await c.client.resource(ServiceResource).delete('web', { namespace: NS });
    await waitFor(async () => (await endpoints().catch(() => undefined)) === undefined);
    await waitFor(async () => (await slices()).length === 0);
  });
});
