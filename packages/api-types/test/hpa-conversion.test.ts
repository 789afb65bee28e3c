// autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler conversion: v2 objects survive a trip
// through v1 unchanged (what v1 cannot say rides in annotations), v1 objects read as Kubernetes
// reads them, and the behavior annotation is the Go-field-name JSON Kubernetes writes.
import { describe, expect, it } from 'vitest';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  CURRENT_METRICS_ANNOTATION,
  METRICS_ANNOTATION,
  decodeBehaviorAnnotation,
  encodeBehaviorAnnotation,
  hpaFromV2,
  hpaToV2,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerBehavior,
  type HorizontalPodAutoscalerV1,
  type MetricSpec,
  type MetricStatus,
} from '../src/index.js';

const META = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', generation: 2, creationTimestamp: '2025-06-01T12:00:00Z' };
const REF = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

const cpu = (percent: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } });
const cpuNow = (percent: number, value = '120m'): MetricStatus => ({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: percent, averageValue: value } } });
const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } };
const memoryPercent: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } };
const requests: MetricSpec = { type: 'Pods', pods: { metric: { name: 'http_requests_per_second', selector: { matchLabels: { app: 'web' } } }, target: { type: 'AverageValue', averageValue: '10' } } };
const requestsNow: MetricStatus = { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, current: { averageValue: '3500m' } } };
const objectValue: MetricSpec = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'http_requests_per_second' }, target: { type: 'Value', value: '100' } } };
const objectAverage: MetricSpec = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '5' } } };
const objectNow: MetricStatus = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'http_requests_per_second' }, current: { value: '40' } } };
const container: MetricSpec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } };
const containerNow: MetricStatus = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 30, averageValue: '60m' } } };
const externalValue: MetricSpec = { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } };
const externalAverage: MetricSpec = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '3' } } };
const externalNow: MetricStatus = { type: 'External', external: { metric: { name: 'queue' }, current: { value: '12', averageValue: '4' } } };
const behavior: HorizontalPodAutoscalerBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }], tolerance: '50m' },
};
const counts = { currentReplicas: 2, desiredReplicas: 3 };
const conditions = [{ type: 'AbleToScale', status: 'True' as const, reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: '2025-06-01T12:01:00Z' }];

function v2(metrics: MetricSpec[], status?: HorizontalPodAutoscaler['status'], extra: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}, annotations?: Record<string, string>): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...META, ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: REF, minReplicas: 1, maxReplicas: 10, metrics, ...extra },
    status: status ?? counts,
  };
}

describe('v2 → v1 → v2 keeps the object', () => {
  it.each<[string, HorizontalPodAutoscaler]>([
    ['cpu only', v2([cpu(50)])],
    ['cpu with its reading', v2([cpu(50)], { ...counts, currentMetrics: [cpuNow(12)], lastScaleTime: '2025-06-01T12:02:00Z', observedGeneration: 2 })],
    ['a pods metric and behavior', v2([requests], { ...counts, currentMetrics: [requestsNow], conditions }, { behavior })],
    ['memory by value and by utilisation', v2([memory, memoryPercent])],
    ['object by value and by average', v2([objectValue, objectAverage], { ...counts, currentMetrics: [objectNow] })],
    ['container resource', v2([container], { ...counts, currentMetrics: [containerNow] })],
    ['external by value and by average', v2([externalValue, externalAverage], { ...counts, currentMetrics: [externalNow] })],
    ['user annotations stay', v2([requests], undefined, {}, { team: 'a' })],
    ['no minReplicas', v2([cpu(80)], undefined, { minReplicas: undefined })],
  ])('%s', (_name, hpa) => {
    const clean = JSON.parse(JSON.stringify(hpa)) as HorizontalPodAutoscaler;
    expect(hpaToV2(hpaFromV2(clean))).toEqual(clean);
  });
});

it('puts the cpu metric last after a trip through v1, as Kubernetes does', () => {
  expect(hpaToV2(hpaFromV2(v2([cpu(50), requests]))).spec?.metrics).toEqual([requests, cpu(50)]);
});

describe('v2 as v1 shows it', () => {
  it('turns the cpu target and reading into the v1 fields', () => {
    const v1 = hpaFromV2(v2([cpu(50)], { ...counts, currentMetrics: [cpuNow(12)] }));
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: REF, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(v1.status).toEqual({ ...counts, currentCPUUtilizationPercentage: 12 });
    // The raw reading is kept too, so the v2 object keeps its averageValue.
    expect(JSON.parse(v1.metadata.annotations?.[CURRENT_METRICS_ANNOTATION] ?? '')).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 12, currentAverageValue: '120m' } }]);
    expect(v1.metadata.annotations?.[METRICS_ANNOTATION]).toBeUndefined();
  });

  it("writes what v1 cannot hold in Kubernetes' annotation layouts", () => {
    const v1 = hpaFromV2(v2([requests, cpu(60)], { ...counts, currentMetrics: [requestsNow], conditions }, { behavior }));
    const a = v1.metadata.annotations ?? {};
    expect(v1.spec?.targetCPUUtilizationPercentage).toBe(60);
    expect(JSON.parse(a[METRICS_ANNOTATION] ?? '')).toEqual([{ type: 'Pods', pods: { metricName: 'http_requests_per_second', targetAverageValue: '10', selector: { matchLabels: { app: 'web' } } } }]);
    expect(JSON.parse(a[CURRENT_METRICS_ANNOTATION] ?? '')).toEqual([{ type: 'Pods', pods: { metricName: 'http_requests_per_second', currentAverageValue: '3500m' } }]);
    expect(JSON.parse(a[CONDITIONS_ANNOTATION] ?? '')).toEqual(conditions);
    expect(JSON.parse(a[BEHAVIOR_ANNOTATION] ?? '')).toMatchObject({ ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }, { Type: 'Percent', Value: 100, PeriodSeconds: 15 }] } });
  });

  it('always writes the replica counts, and replaces stale round-trip annotations', () => {
    const { status: _none, ...fresh } = v2([cpu(50)], undefined, {}, { [METRICS_ANNOTATION]: '[{"type":"Pods"}]', keep: 'me' });
    const v1 = hpaFromV2(fresh);
    expect(v1.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    expect(v1.metadata.annotations).toEqual({ keep: 'me' });
  });
});

describe('v1 as the stored v2 object', () => {
  const v1 = (spec: Partial<NonNullable<HorizontalPodAutoscalerV1['spec']>>, annotations?: Record<string, string>, status?: HorizontalPodAutoscalerV1['status']): HorizontalPodAutoscalerV1 => ({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: REF, maxReplicas: 4, ...spec },
    ...(status ? { status } : {}),
  });
  it.each<[string, HorizontalPodAutoscalerV1, MetricSpec[]]>([
    ['kubectl autoscale --cpu-percent=50', v1({ minReplicas: 1, targetCPUUtilizationPercentage: 50 }), [cpu(50)]],
    ['no target: the implicit 80%', v1({}), [cpu(80)]],
    ['annotated metrics first, then cpu', v1({ targetCPUUtilizationPercentage: 50 }, { [METRICS_ANNOTATION]: JSON.stringify([{ type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '10' } }]) }), [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }, cpu(50)]],
    ['an annotation that does not parse is ignored', v1({ targetCPUUtilizationPercentage: 40 }, { [METRICS_ANNOTATION]: '{not json' }), [cpu(40)]],
  ])('%s', (_name, obj, metrics) => {
    const out = hpaToV2(obj);
    expect(out.apiVersion).toBe('autoscaling/v2');
    expect(out.spec?.metrics).toEqual(metrics);
    expect(out.metadata.annotations).toBeUndefined();
  });

  it('reads the cpu percentage as a current metric, unless the annotation has more', () => {
    expect(hpaToV2(v1({}, undefined, { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12 })).status?.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }]);
    const annotated = v1({}, { [CURRENT_METRICS_ANNOTATION]: JSON.stringify([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 12, currentAverageValue: '120m' } }]) }, { currentCPUUtilizationPercentage: 99 });
    expect(hpaToV2(annotated).status?.currentMetrics).toEqual([cpuNow(12)]);
  });
});

describe('behavior annotation', () => {
  it("is written with Go's field names and nulls, as Kubernetes writes it", () => {
    expect(JSON.parse(encodeBehaviorAnnotation({ scaleUp: { selectPolicy: 'Disabled' } }))).toEqual({ ScaleUp: { StabilizationWindowSeconds: null, SelectPolicy: 'Disabled', Policies: null }, ScaleDown: null });
  });
  it.each<[string, string, HorizontalPodAutoscalerBehavior | undefined]>([
    ['exact keys', '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":null,"Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":30}]}}', { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } }],
    ['keys in any case, as encoding/json reads them', '{"scaleUp":{"stabilizationwindowseconds":5}}', { scaleUp: { stabilizationWindowSeconds: 5 } }],
    ['an empty behavior is none', '{}', undefined],
    ['not JSON', 'ScaleUp', undefined],
  ])('%s', (_name, raw, want) => {
    expect(decodeBehaviorAnnotation(raw)).toEqual(want);
  });
});
