// Table tests of the HPA controller shell's pure pieces: condition bookkeeping, the discovery
// mapping of scale targets, the pod view handed to the calculator, and metrics API parsing.
import { describe, expect, it } from 'vitest';
import type { Condition, Pod } from '@kite/api-types';
import { calculatorPod } from '../../../src/podautoscaler/calculator-pods.js';
import { setCondition, succeededGetScale, failedGetScale } from '../../../src/podautoscaler/conditions.js';
import { MetricsClient } from '../../../src/podautoscaler/metrics-client.js';
import { ScaleMapper, splitApiVersion } from '../../../src/podautoscaler/rest-mapper.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';

/** A raw client answering fixed bodies by path, counting calls; unknown paths are 404s. */
function rawClient(bodies: Record<string, unknown>) {
  const calls: string[] = [];
  return {
    calls,
    raw: (_method: string, path: string): Promise<unknown> => {
      calls.push(path);
      const body = bodies[path.split('?')[0] ?? ''];
      return body === undefined ? Promise.reject(new Error(`the server could not find the requested resource (${path})`)) : Promise.resolve(body);
    },
  };
}

describe('setCondition', () => {
  const old: Condition[] = [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'm', lastTransitionTime: T0 }];
  it.each([
    { name: 'same status keeps lastTransitionTime', outcome: succeededGetScale, want: T0 },
    { name: 'a flip moves lastTransitionTime', outcome: failedGetScale('boom'), want: T1 },
  ])('$name', ({ outcome, want }) => {
    const got = setCondition(old, 'AbleToScale', outcome, T1);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ status: outcome.status, reason: outcome.reason, message: outcome.message, lastTransitionTime: want });
  });
  it('adds a new type', () => {
    expect(setCondition(old, 'ScalingActive', succeededGetScale, T1).map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive']);
  });
});

describe('ScaleMapper', () => {
  const apps = { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }, { name: 'deployments/scale', kind: 'Scale', namespaced: true }] };
  const core = { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }] };
  it.each([
    { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', hasScale: true },
    { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', hasScale: false },
  ])('$kind in $apiVersion', async ({ apiVersion, kind, plural, hasScale }) => {
    const m = await new ScaleMapper(rawClient({ '/apis/apps/v1': apps, '/api/v1': core })).resolve(apiVersion, kind);
    expect(m.resource.plural).toBe(plural);
    expect(m.hasScale).toBe(hasScale);
  });
  it('caches discovery and refetches on a miss', async () => {
    const client = rawClient({ '/apis/apps/v1': apps });
    const mapper = new ScaleMapper(client);
    await mapper.resolve('apps/v1', 'Deployment');
    await mapper.resolve('apps/v1', 'Deployment');
    await expect(mapper.resolve('apps/v1', 'Widget')).rejects.toThrow(/no matches for kind "Widget" in version "apps\/v1"/);
    expect(client.calls).toEqual(['/apis/apps/v1', '/apis/apps/v1']);
  });
  it.each([
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['v1', { group: '', version: 'v1' }],
  ])('splitApiVersion(%s)', (v, want) => expect(splitApiVersion(v)).toEqual(want));
});

describe('calculatorPod', () => {
  const pod = (requests: (Record<string, string> | undefined)[]): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: requests.map((r, i) => ({ name: `c${i}`, image: 'x', ...(r ? { resources: { requests: r } } : {}) })) },
      status: { phase: 'Running', startTime: T0, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }] },
    }) as Pod;
  it.each([
    { name: 'sums requests', pod: pod([{ cpu: '10m' }, { cpu: '0.1' }]), container: undefined, want: { requestMilli: 110 } },
    { name: 'one container', pod: pod([{ cpu: '10m' }, { cpu: '0.1' }]), container: 'c1', want: { requestMilli: 100 } },
    { name: 'missing request', pod: pod([{ cpu: '10m' }, undefined]), container: undefined, want: { missingRequestContainer: 'c1' } },
  ])('$name', ({ pod: p, container, want }) => {
    const got = calculatorPod(p, 'cpu', container);
    expect(got).toMatchObject({ name: 'p', phase: 'Running', deleting: false, startTimeMs: Date.parse(T0), readyCondition: { status: 'True', lastTransitionMs: Date.parse(T1) }, ...want });
  });
});

describe('MetricsClient', () => {
  const podMetrics = {
    items: [
      { metadata: { name: 'a' }, timestamp: T1, window: '1.002s', containers: [{ name: 'x', usage: { cpu: '30m', memory: '1Mi' } }, { name: 'y', usage: { cpu: '5m', memory: '1Mi' } }] },
      { metadata: { name: 'b' }, timestamp: T1, window: '15s', containers: [{ name: 'x', usage: { cpu: '1', memory: '1Mi' } }] },
    ],
  };
  const base = '/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods';
  it.each([
    { container: undefined, want: { a: 35, b: 1000 } },
    { container: 'y', want: { a: 5 } },
  ])('resource cpu, container $container', async ({ container, want }) => {
    const got = await new MetricsClient(rawClient({ [base]: podMetrics })).resourceMetric('cpu', 'ns', 'app=web', container);
    expect(Object.fromEntries([...got].map(([k, v]) => [k, v.value]))).toEqual(want);
    expect(got.get('a')?.windowMs).toBe(1002);
  });
  it.each([
    { name: 'no items', bodies: { [base]: { items: [] } }, want: /no metrics returned from resource metrics API/ },
    { name: 'API error', bodies: {}, want: /unable to fetch metrics from resource metrics API/ },
  ])('resource metric failure: $name', async ({ bodies, want }) => {
    await expect(new MetricsClient(rawClient(bodies)).resourceMetric('cpu', 'ns', 'app=web')).rejects.toThrow(want);
  });
  it('pods and object metrics', async () => {
    const item = (name: string, value: string) => ({ describedObject: { kind: 'Pod', name, apiVersion: 'v1' }, metric: { name: 'rps' }, timestamp: T1, windowSeconds: 2, value });
    const client = new MetricsClient(
      rawClient({
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps': { items: [item('a', '1500m'), item('b', '2')] },
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/services/web/rps': { items: [item('web', '3500m')] },
      }),
    );
    const pods = await client.podsMetric('rps', 'ns', 'app=web');
    expect([...pods].map(([k, v]) => [k, v.value, v.windowMs])).toEqual([['a', 1500, 2000], ['b', 2000, 2000]]);
    expect((await client.objectMetric('rps', 'ns', { plural: 'services', name: 'web' })).value).toBe(3500);
  });
});
