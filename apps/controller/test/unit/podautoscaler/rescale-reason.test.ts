// The SuccessfulRescale Event's wording, metric by metric, as Kubernetes writes it.
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '@kite/api-types';
import { metricDescription, rescaleMessage, rescaleReason } from '../../../src/podautoscaler/rescale-reason.js';

describe('metricDescription', () => {
  it.each<[MetricSpec, string]>([
    [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }, 'cpu resource utilization (percentage of request)'],
    [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }, 'memory resource'],
    [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'web', target: { type: 'Utilization', averageUtilization: 60 } } }, 'cpu container resource utilization (percentage of request)'],
    [{ type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', target: { type: 'AverageValue', averageValue: '1Gi' } } }, 'memory container resource'],
    [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } }, 'pods metric http_requests_per_second'],
    [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'http_requests_per_second' }, target: { type: 'Value', value: '100' } } }, 'Service metric http_requests_per_second'],
    [{ type: 'External', external: { metric: { name: 'queue_length' }, target: { type: 'Value', value: '5' } } }, 'external metric queue_length'],
  ])('%j → %s', (spec, want) => {
    expect(metricDescription(spec)).toBe(want);
  });
});

describe('rescaleReason and rescaleMessage', () => {
  it.each<[number, number, string]>([
    [2, 3, 'New size: 3; reason: cpu resource utilization (percentage of request) above target'],
    [5, 2, 'New size: 2; reason: All metrics below target'],
  ])('%i → %i', (current, desired, want) => {
    expect(rescaleMessage(desired, rescaleReason(current, desired, 'cpu resource utilization (percentage of request)'))).toBe(want);
  });
});
