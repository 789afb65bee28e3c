// HorizontalPodAutoscalers at autoscaling/v1 and autoscaling/v2, served from one stored object,
// against a real apiserver process and the real kubectl (v1.32): `kubectl autoscale` (which posts
// v1 protobuf), `kubectl get hpa` (server-side Table with TARGETS), round trips through v1 that keep
// what only v2 can say, watches at v1, a status written at v2 as the controller writes it, bad
// input with Kubernetes' field paths, discovery, OpenAPI and RBAC seeing one resource.
// Needs apps/apiserver built: `npm run build -w @kite/apiserver`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testUser, waitFor } from '@kite/testing';
import { startKubectlEnv, tableRows, type KubectlEnv } from './helpers/kubectl.js';
import { apiClient, type Api } from './helpers/server.js';
import { openWatch } from './helpers/watch.js';

const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers read field by field

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;

const PODS_HPA = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'rps', labels: { app: 'web' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 8,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } },
  },
};

const v1Hpa = (name: string, spec: Obj) => ({
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec },
});

let env: KubectlEnv;
let api: Api;

beforeAll(async () => {
  env = await startKubectlEnv();
  api = apiClient(env.server.url);
  const applied = await env.kubectl('apply', '-f', await env.manifest('deployment.yaml', DEPLOYMENT));
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('kubectl autoscale and get hpa', () => {
  it('creates an HPA (v1 protobuf) readable at both versions', async () => {
    const res = await env.kubectl('autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=4');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('horizontalpodautoscaler.autoscaling/web autoscaled');

    const v1 = await api<Obj>('GET', `${V1}/web`);
    expect(v1.status).toBe(200);
    expect(v1.body.apiVersion).toBe('autoscaling/v1');
    expect(v1.body.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 });
    expect(v1.body.metadata.annotations).toBeUndefined();

    const v2 = await api<Obj>('GET', `${V2}/web`);
    expect(v2.body.apiVersion).toBe('autoscaling/v2');
    expect(v2.body.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    expect(v2.body.metadata.resourceVersion).toBe(v1.body.metadata.resourceVersion);
  });

  it('prints the columns with cpu: <unknown>/50% before any reading', async () => {
    const res = await env.kubectl('get', 'hpa', 'web');
    expect(res.code, res.stderr).toBe(0);
    const [header, row] = tableRows(res.stdout);
    expect(header).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(row?.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '4', '0']);
  });

  it('shows a status written at v2 at v1 and in TARGETS, at both versions', async () => {
    const current = await api<Obj>('GET', `${V2}/web`);
    const status = { currentReplicas: 1, desiredReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '60m' } } }] };
    const put = await api<Obj>('PUT', `${V2}/web/status`, { ...current.body, status });
    expect(put.status, put.text).toBe(200);

    const v1 = await api<Obj>('GET', `${V1}/web`);
    expect(v1.body.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12 });
    for (const resource of ['hpa', 'horizontalpodautoscalers.v1.autoscaling', 'horizontalpodautoscalers.v2.autoscaling']) {
      const res = await env.kubectl('get', resource, 'web');
      expect(res.code, res.stderr).toBe(0);
      expect(tableRows(res.stdout)[1]?.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: 12%/50%', '1', '4', '1']);
    }
  });
});

describe('what only v2 can say survives v1', () => {
  it('carries a Pods metric and behavior in annotations and round-trips through a v1 update', async () => {
    const created = await api<Obj>('POST', V2, PODS_HPA);
    expect(created.status, created.text).toBe(201);
    const conditions = [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: '2025-06-01T12:00:00Z' }];
    const withStatus = await api<Obj>('PUT', `${V2}/rps/status`, {
      ...created.body,
      status: { currentReplicas: 2, desiredReplicas: 2, conditions, currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, current: { averageValue: '3500m' } } }] },
    });
    expect(withStatus.status, withStatus.text).toBe(200);
    const before = withStatus.body;

    const v1 = await api<Obj>('GET', `${V1}/rps`);
    expect(v1.body.spec.targetCPUUtilizationPercentage).toBeUndefined();
    const annotations = v1.body.metadata.annotations as Record<string, string>;
    expect(JSON.parse(annotations[METRICS_ANNOTATION] ?? '')).toEqual([{ type: 'Pods', pods: { metricName: 'http_requests_per_second', targetAverageValue: '10' } }]);
    expect(JSON.parse(annotations[CURRENT_METRICS_ANNOTATION] ?? '')).toEqual([{ type: 'Pods', pods: { metricName: 'http_requests_per_second', currentAverageValue: '3500m' } }]);
    expect(JSON.parse(annotations[CONDITIONS_ANNOTATION] ?? '')).toEqual(conditions);
    expect(JSON.parse(annotations[BEHAVIOR_ANNOTATION] ?? '')).toMatchObject({ ScaleDown: { StabilizationWindowSeconds: 60, Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 30 }] } });

    // A v1 client writes back what it read, with a change of its own.
    const updated = await api<Obj>('PUT', `${V1}/rps`, { ...v1.body, metadata: { ...v1.body.metadata, labels: { app: 'web', tier: 'fe' } } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.apiVersion).toBe('autoscaling/v1');

    const after = (await api<Obj>('GET', `${V2}/rps`)).body;
    expect(after.spec).toEqual(before.spec);
    expect(after.status).toEqual(before.status);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(after.metadata.annotations).toBeUndefined();
  });

  it.each([
    ['merge', 'application/merge-patch+json', { spec: { targetCPUUtilizationPercentage: 70 } }],
    ['JSON', 'application/json-patch+json', [{ op: 'add', path: '/spec/targetCPUUtilizationPercentage', value: 70 }]],
  ])('applies a %s patch to the v1 form and keeps the rest', async (_name, type, patch) => {
    const created = await api<Obj>('POST', V2, { ...PODS_HPA, metadata: { name: `patch-${type.length}` } });
    expect(created.status, created.text).toBe(201);
    const res = await api<Obj>('PATCH', `${V1}/${created.body.metadata.name}`, patch, type);
    expect(res.status, res.text).toBe(200);
    expect(res.body.spec.targetCPUUtilizationPercentage).toBe(70);
    const v2 = (await api<Obj>('GET', `${V2}/${created.body.metadata.name}`)).body;
    expect(v2.spec.metrics).toEqual([...PODS_HPA.spec.metrics, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(v2.spec.behavior.scaleDown).toMatchObject(PODS_HPA.spec.behavior.scaleDown);
  });

  it('takes kubectl patch (strategic merge) and apply at v1', async () => {
    const patched = await env.kubectl('patch', 'horizontalpodautoscalers.v1.autoscaling', 'rps', '-p', '{"spec":{"maxReplicas":9}}');
    expect(patched.code, patched.stderr).toBe(0);
    const manifest = await env.manifest('v1.yaml', JSON.stringify(v1Hpa('applied', { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 })));
    for (const args of [['apply', '-f', manifest], ['apply', '--server-side', '-f', manifest]]) {
      const res = await env.kubectl(...args);
      expect(res.code, res.stderr).toBe(0);
    }
    const rps = (await api<Obj>('GET', `${V2}/rps`)).body;
    expect(rps.spec.maxReplicas).toBe(9);
    expect(rps.spec.metrics).toEqual(PODS_HPA.spec.metrics);
    const applied = (await api<Obj>('GET', `${V2}/applied`)).body;
    expect(applied.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] });
  });
});

describe('watch at v1', () => {
  it('sees v1 objects for changes made at v2', async () => {
    const list = await api<Obj>('GET', V1);
    expect(list.body.kind).toBe('HorizontalPodAutoscalerList');
    expect(list.body.apiVersion).toBe('autoscaling/v1');
    const watch = await openWatch(`${env.server.url}${V1}?watch=true&resourceVersion=${String(list.body.metadata.resourceVersion)}`);
    try {
      const hpa = { ...PODS_HPA, metadata: { name: 'watched' }, spec: { ...PODS_HPA.spec, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }] } };
      expect((await api('POST', V2, hpa)).status).toBe(201);
      const event = await waitFor(() => (watch.events as Obj[]).find((e) => e.object?.metadata?.name === 'watched'), { timeoutMs: 10_000, message: 'the ADDED event at v1' });
      expect(event.type).toBe('ADDED');
      expect(event.object.apiVersion).toBe('autoscaling/v1');
      expect(event.object.spec.targetCPUUtilizationPercentage).toBe(65);
      expect(event.object.metadata.annotations[BEHAVIOR_ANNOTATION]).toBeDefined();
    } finally {
      watch.close();
    }
  });
});

describe('bad input at v1 gets Kubernetes’ field paths', () => {
  it.each([
    ['maxReplicas below minReplicas', { minReplicas: 3, maxReplicas: 2, targetCPUUtilizationPercentage: 50 }, 'spec.maxReplicas'],
    ['a target of 0%', { minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 0 }, 'spec.metrics[0].resource.target.averageUtilization'],
    ['no maxReplicas', { minReplicas: 1 }, 'spec.maxReplicas'],
  ])('%s', async (_name, spec, field) => {
    const res = await api<Obj>('POST', V1, v1Hpa('bad', spec));
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { name: 'bad', group: 'autoscaling', kind: 'HorizontalPodAutoscaler' } });
    expect((res.body.details.causes as Obj[]).map((c) => c.field)).toContain(field);
  });
});

describe('one resource, two versions', () => {
  it('lists v2 as preferred and v1 in discovery, and publishes a v1 OpenAPI document', async () => {
    const group = (await api<Obj>('GET', '/apis/autoscaling')).body;
    expect(group.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(group.versions.map((v: Obj) => v.version)).toEqual(['v2', 'v1']);
    const resources = (await api<Obj>('GET', '/apis/autoscaling/v1')).body;
    expect(resources.resources.map((r: Obj) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
    const doc = (await api<Obj>('GET', '/openapi/v3/apis/autoscaling/v1')).body;
    const kinds = Object.values(doc.components.schemas as Record<string, Obj>).flatMap((s) => s['x-kubernetes-group-version-kind'] ?? []);
    expect(kinds).toContainEqual({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
    expect(doc.components.schemas['io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler'].properties.spec.properties).toHaveProperty('targetCPUUtilizationPercentage');
  });

  it('is one resource to RBAC whatever the version', async () => {
    const ns = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
    const role = { metadata: { name: 'hpa-reader' }, rules: [{ apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list'] }] };
    expect((await api('POST', `${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', ...role })).status).toBe(201);
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'hpa-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'hpa-reader' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'hpa-alice' }] };
    expect((await api('POST', `${ns}/rolebindings`, binding)).status).toBe(201);
    const alice = apiClient(env.server.url, testUser('hpa-alice'));
    await waitFor(async () => (await alice('GET', `${V1}/web`)).status === 200, { timeoutMs: 10_000, message: 'the binding to take effect' });
    expect((await alice('GET', `${V2}/web`)).status).toBe(200);
    const denied = await alice<Obj>('POST', V1, v1Hpa('nope', { maxReplicas: 2 }));
    expect(denied.status).toBe(403);
    expect(denied.body.details).toMatchObject({ group: 'autoscaling', kind: 'horizontalpodautoscalers' });
  });
});
