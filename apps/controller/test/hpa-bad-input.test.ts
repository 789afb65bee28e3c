// HorizontalPodAutoscaler bad input: a real apiserver (serving the metrics APIs) and redis-server,
// hollow nodes, the controller manager in-process with the HPA controller. Each bad HPA gets the
// condition and Warning Event Kubernetes gives it; beside them a good HPA keeps being acted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, EventResource, HorizontalPodAutoscalerResource, type Condition, type Event, type HorizontalPodAutoscaler, type MetricSpec } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';
import { waitFor } from '@kite/testing';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';

const NS = 'hpa-bad';
/** Generous for a loaded 2-core machine: the sync period is 500 ms. */
const CONDITION_TIMEOUT_MS = 20_000;
const CPU_50: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };

let c: TestCluster;
let hpas: ResourceClient<HorizontalPodAutoscaler>;

function hpa(name: string, target: { apiVersion: string; kind: string; name: string }, metrics: MetricSpec[], min = 1, max = 4): HorizontalPodAutoscaler {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: NS }, spec: { scaleTargetRef: target, minReplicas: min, maxReplicas: max, metrics } };
}

async function condition(name: string, type: string, reason: string): Promise<Condition> {
  return waitFor(
    async () => (await hpas.get(name, { namespace: NS })).status?.conditions?.find((x) => x.type === type && x.reason === reason),
    { timeoutMs: CONDITION_TIMEOUT_MS, message: `HPA ${name}: ${type} ${reason}` },
  );
}

async function warning(name: string, reason: string): Promise<Event> {
  return waitFor(
    async () => (await c.client.resource(EventResource).list({ namespace: NS })).items.find((e) => e.involvedObject.name === name && e.reason === reason && e.type === 'Warning'),
    { timeoutMs: CONDITION_TIMEOUT_MS, message: `Warning ${reason} on ${name}` },
  );
}

beforeAll(async () => {
  c = await startCluster({ nodes: 1, controllers: 'replicaset,deployment,horizontalpodautoscaling', manager: { hpaSyncPeriodMs: 500 } });
  hpas = c.client.resource(HorizontalPodAutoscalerResource);
  await createNamespace(c.client, NS);
  await c.client.resource(DeploymentResource).create(deployment(NS, 'web', { replicas: 1 }));
  await c.client.resource(DeploymentResource).create(deployment(NS, 'good', { replicas: 1 }));
}, 60_000);
afterAll(async () => c?.stop());

describe('HPA bad input', () => {
  it('reports a missing Deployment as FailedGetScale', async () => {
    await hpas.create(hpa('missing', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' }, [CPU_50]));
    const cond = await condition('missing', 'AbleToScale', 'FailedGetScale');
    expect(cond.status).toBe('False');
    expect(cond.message).toMatch(/^the HPA controller was unable to get the target's current scale: .*nope/);
    expect((await warning('missing', 'FailedGetScale')).message).toMatch(/nope/);
  });

  it('reports a kind without scale as FailedGetScale', async () => {
    await hpas.create(hpa('configmap', { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }, [CPU_50]));
    const cond = await condition('configmap', 'AbleToScale', 'FailedGetScale');
    expect(cond.message).toMatch(/configmaps "cm" has no scale subresource/);
    await warning('configmap', 'FailedGetScale');
  });

  it('reports an unknown kind as FailedGetScale', async () => {
    await hpas.create(hpa('unknown-kind', { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' }, [CPU_50]));
    const cond = await condition('unknown-kind', 'AbleToScale', 'FailedGetScale');
    expect(cond.message).toMatch(/unable to determine resource for scale target reference/);
  });

  it('reports a Pods metric that does not exist as FailedGetPodsMetric', async () => {
    const metric: MetricSpec = { type: 'Pods', pods: { metric: { name: 'no_such_metric' }, target: { type: 'AverageValue', averageValue: '10' } } };
    await hpas.create(hpa('no-metric', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, [metric]));
    await condition('no-metric', 'AbleToScale', 'SucceededGetScale');
    const cond = await condition('no-metric', 'ScalingActive', 'FailedGetPodsMetric');
    expect(cond.status).toBe('False');
    expect(cond.message).toMatch(/^the HPA was unable to compute the replica count: failed to get pods metric value: /);
    await warning('no-metric', 'FailedGetPodsMetric');
    await warning('no-metric', 'FailedComputeMetricsReplicas');
  });

  it('reports an External metric as unsupported', async () => {
    const metric: MetricSpec = { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '10' } } };
    await hpas.create(hpa('external', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, [metric]));
    const cond = await condition('external', 'ScalingActive', 'FailedGetExternalMetric');
    expect(cond.status).toBe('False');
    expect(cond.message).toMatch(/not supported/);
    await warning('external', 'FailedGetExternalMetric');
  });

  it('keeps acting on a good HPA: a target below minReplicas goes to minReplicas', async () => {
    await hpas.create(hpa('good', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'good' }, [CPU_50], 2, 3));
    await waitFor(async () => (await c.client.resource(DeploymentResource).get('good', { namespace: NS })).spec?.replicas === 2, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'good scaled to 2' });
    const ev = await waitFor(
      async () => (await c.client.resource(EventResource).list({ namespace: NS })).items.find((e) => e.involvedObject.name === 'good' && e.reason === 'SuccessfulRescale'),
      { timeoutMs: CONDITION_TIMEOUT_MS, message: 'SuccessfulRescale' },
    );
    expect(ev.message).toBe('New size: 2; reason: Current number of replicas below Spec.MinReplicas');
    const status = (await hpas.get('good', { namespace: NS })).status;
    expect(status?.lastScaleTime).toBeTruthy();
    expect(status?.desiredReplicas).toBe(2);
    // The bad ones are still looked at: their conditions are current.
    await condition('missing', 'AbleToScale', 'FailedGetScale');
  });
});
