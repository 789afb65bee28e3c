// core/v1 LimitRange: registration, Kubernetes' defaulting of Container items
// (SetDefaults_LimitRangeItem) and its validation (ValidateLimitRange).
import { describe, expect, it } from 'vitest';
import { resourceForPath, type KubeObject, type LimitRangeItem } from '../src/index.js';
import { admit } from './helpers.js';

const limitRange = (...limits: LimitRangeItem[]): KubeObject =>
  ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits } }) as KubeObject;

const messages = (obj: KubeObject): string[] => admit(obj).causes.map((c) => `${c.field}: ${c.message}`);
const items = (obj: KubeObject): LimitRangeItem[] => (admit(obj).obj as unknown as { spec: { limits: LimitRangeItem[] } }).spec.limits;

describe('LimitRange registration', () => {
  it('is core/v1 limitranges, short name limits, without status', () => {
    expect(resourceForPath('', 'v1', 'limitranges')).toMatchObject({ kind: 'LimitRange', namespaced: true, shortNames: ['limits'], subresources: { status: false } });
  });
});

describe('LimitRange defaulting', () => {
  it.each<{ name: string; item: LimitRangeItem; want: LimitRangeItem }>([
    {
      name: 'default limit from max, default request from the default',
      item: { type: 'Container', max: { cpu: '2' } },
      want: { type: 'Container', max: { cpu: '2' }, default: { cpu: '2' }, defaultRequest: { cpu: '2' } },
    },
    {
      name: 'default request from min when there is no default',
      item: { type: 'Container', min: { memory: '64Mi' } },
      want: { type: 'Container', min: { memory: '64Mi' }, defaultRequest: { memory: '64Mi' } },
    },
    {
      name: 'given values win',
      item: { type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' } },
      want: { type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' } },
    },
    { name: 'Pod items get no defaults', item: { type: 'Pod', max: { cpu: '4' } }, want: { type: 'Pod', max: { cpu: '4' } } },
  ])('$name', ({ item, want }) => {
    expect(items(limitRange(item))).toEqual([want]);
  });
});

describe('LimitRange validation', () => {
  it.each<{ name: string; limits: LimitRangeItem[]; want: string[] }>([
    {
      name: 'a typical container range',
      limits: [{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '250m' }, maxLimitRequestRatio: { cpu: '10' } }],
      want: [],
    },
    { name: 'pod and claim ranges', limits: [{ type: 'Pod', max: { cpu: '4' } }, { type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }], want: [] },
    { name: 'unknown type', limits: [{ type: 'Node', max: { cpu: '1' } }], want: ['spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified'] },
    {
      name: 'duplicate type',
      limits: [{ type: 'Pod', max: { cpu: '1' } }, { type: 'Pod', max: { cpu: '2' } }],
      want: ['spec.limits[1].type: Duplicate value: "Pod"'],
    },
    { name: 'min above max', limits: [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }], want: ['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1'] },
    {
      name: 'default above max',
      limits: [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '1500m' }, defaultRequest: { cpu: '1' } }],
      want: ['spec.limits[0].default[cpu]: Invalid value: "1": default value 1500m is greater than max value 1'],
    },
    {
      name: 'default request above the default (defaulted from max)',
      limits: [{ type: 'Container', max: { memory: '1Gi' }, defaultRequest: { memory: '2Gi' } }],
      want: [
        'spec.limits[0].defaultRequest[memory]: Invalid value: "2Gi": default request value 2Gi is greater than max value 1Gi',
        'spec.limits[0].defaultRequest[memory]: Invalid value: "2Gi": default request value 2Gi is greater than default limit value 1Gi',
      ],
    },
    {
      name: 'min above default request',
      limits: [{ type: 'Container', min: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }],
      want: ['spec.limits[0].defaultRequest[cpu]: Invalid value: "100m": min value 500m is greater than default request value 100m'],
    },
    { name: 'ratio below 1', limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }], want: ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1'] },
    {
      name: 'ratio above max/min',
      limits: [{ type: 'Pod', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }],
      want: ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000'],
    },
    {
      name: 'Pod items take no defaults',
      limits: [{ type: 'Pod', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }],
      want: ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'", "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'"],
    },
    {
      name: 'claims need storage bounds',
      limits: [{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }],
      want: ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided'],
    },
    {
      name: 'containers take container resources only (also in the defaults taken from max)',
      limits: [{ type: 'Container', max: { pods: '1' } }],
      want: ['max', 'default', 'defaultRequest'].map((f) => `spec.limits[0].${f}[pods]: Invalid value: "pods": must be a standard resource for containers`),
    },
    {
      name: 'extended resources may not be overcommitted',
      limits: [{ type: 'Container', default: { 'example.com/gpu': '2' }, defaultRequest: { 'example.com/gpu': '1' } }],
      want: ['spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: "1": default value 2 must equal to defaultRequest value 1 in example.com/gpu'],
    },
  ])('$name', ({ limits, want }) => {
    expect(messages(limitRange(...limits))).toEqual(want);
  });
});
