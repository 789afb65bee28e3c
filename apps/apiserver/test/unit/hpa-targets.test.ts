// The TARGETS column of `kubectl get hpa`, cell by cell as Kubernetes' formatHPAMetrics prints it.
import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from '@kite/api-types';
import { hpaTargets } from '../../src/http/columns/hpa-targets.js';

function hpa(metrics: MetricSpec[] | undefined, currentMetrics?: MetricStatus[]): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, ...(metrics ? { metrics } : {}) },
    ...(currentMetrics ? { status: { desiredReplicas: 1, currentMetrics } } : {}),
  };
}

const cpu = (target: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
const cpuNow = (percent: number): MetricStatus => ({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: percent, averageValue: '60m' } } });
const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } };
const memoryNow: MetricStatus = { type: 'Resource', resource: { name: 'memory', current: { averageValue: '102400Ki' } } };
const pods: MetricSpec = { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } };
const podsNow: MetricStatus = { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, current: { averageValue: '3500m' } } };
const service = { apiVersion: 'v1', kind: 'Service', name: 'web' };
const objectValue: MetricSpec = { type: 'Object', object: { describedObject: service, metric: { name: 'rps' }, target: { type: 'Value', value: '50' } } };
const objectAverage: MetricSpec = { type: 'Object', object: { describedObject: service, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '5' } } };
const objectNow: MetricStatus = { type: 'Object', object: { describedObject: service, metric: { name: 'rps' }, current: { value: '40', averageValue: '4' } } };
const external: MetricSpec = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } };
const container: MetricSpec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } };
const containerNow: MetricStatus = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 30 } } };

describe('TARGETS', () => {
  it.each<[string, HorizontalPodAutoscaler, string]>([
    ['cpu before any reading', hpa([cpu(50)]), 'cpu: <unknown>/50%'],
    ['cpu with a reading', hpa([cpu(50)], [cpuNow(12)]), 'cpu: 12%/50%'],
    ['memory by average value, canonical quantities', hpa([memory], [memoryNow]), 'memory: 100Mi/200Mi'],
    ['memory before any reading', hpa([memory]), 'memory: <unknown>/200Mi'],
    ['pods metric', hpa([pods], [podsNow]), '3500m/10'],
    ['pods metric, canonical quantities', hpa([pods], [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, current: { averageValue: '10000m' } } }]), '10/10'],
    ['object by value', hpa([objectValue], [objectNow]), '40/50'],
    ['object by average', hpa([objectAverage], [objectNow]), '4/5 (avg)'],
    ['external before any reading', hpa([external]), '<unknown>/30 (avg)'],
    ['container resource', hpa([container], [containerNow]), 'cpu: 30%/60%'],
    ['two metrics', hpa([cpu(50), pods], [cpuNow(12), podsNow]), 'cpu: 12%/50%, 3500m/10'],
    ['more than two', hpa([cpu(50), memory, pods, objectValue], [cpuNow(12), memoryNow]), 'cpu: 12%/50%, memory: 100Mi/200Mi + 2 more...'],
    ['readings matched by position, as Kubernetes does', hpa([pods, cpu(50)], [cpuNow(12)]), '<unknown>/10, cpu: <unknown>/50%'],
    ['no metrics', hpa(undefined), '<none>'],
  ])('%s', (_name, obj, want) => {
    expect(hpaTargets(obj)).toBe(want);
  });
});
