// core/v1 ResourceQuota: registration, and Kubernetes' validation of hard limits, scopes and
// scope selectors (pkg/apis/core/validation ValidateResourceQuota).
import { describe, expect, it } from 'vitest';
import { resourceForPath, type KubeObject, type ResourceQuotaSpec } from '../src/index.js';
import { admit } from './helpers.js';

const quota = (spec: ResourceQuotaSpec, status?: object): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec, ...(status ? { status } : {}) }) as KubeObject;

const messages = (obj: KubeObject, old?: KubeObject): string[] => admit(obj, old).causes.map((c) => `${c.field}: ${c.message}`);

describe('ResourceQuota registration', () => {
  it('is core/v1 resourcequotas, short name quota, with a status subresource', () => {
    expect(resourceForPath('', 'v1', 'resourcequotas')).toMatchObject({
      kind: 'ResourceQuota',
      namespaced: true,
      shortNames: ['quota'],
      subresources: { status: true },
    });
  });
});

describe('ResourceQuota validation', () => {
  it.each<{ name: string; spec: ResourceQuotaSpec; want: string[] }>([
    { name: 'compute and object counts', spec: { hard: { 'requests.cpu': '1', 'limits.memory': '2Gi', pods: '10', 'count/deployments.apps': '3' } }, want: [] },
    { name: 'extended resource', spec: { hard: { 'requests.example.com/gpu': '2' } }, want: [] },
    { name: 'hugepages', spec: { hard: { 'requests.hugepages-2Mi': '1Gi' } }, want: [] },
    {
      name: 'unknown unqualified name',
      spec: { hard: { widgets: '1' } },
      want: [
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      ],
    },
    { name: 'storage is a resource but not a quota resource', spec: { hard: { storage: '1Gi' } }, want: ['spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota'] },
    { name: 'negative', spec: { hard: { cpu: '-1' } }, want: ['spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0'] },
    { name: 'fractional count', spec: { hard: { pods: '1500m' } }, want: ['spec.hard[pods]: Invalid value: "1500m": must be an integer'] },
    { name: 'scopes that fit', spec: { hard: { pods: '5', 'requests.cpu': '1' }, scopes: ['NotBestEffort', 'Terminating'] }, want: [] },
    { name: 'unsupported scope', spec: { hard: { pods: '5' }, scopes: ['Sometimes'] }, want: ['spec.scopes: Invalid value: ["Sometimes"]: unsupported scope'] },
    {
      name: 'BestEffort only limits pods',
      spec: { hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] },
      want: ['spec.scopes: Invalid value: ["BestEffort"]: unsupported scope applied to resource'],
    },
    {
      name: 'conflicting scopes',
      spec: { hard: { pods: '5' }, scopes: ['Terminating', 'NotTerminating'] },
      want: ['spec.scopes: Invalid value: ["Terminating","NotTerminating"]: conflicting scopes'],
    },
    { name: 'priority class selector', spec: { hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }, want: [] },
    {
      name: 'In without values',
      spec: { hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } },
      want: ["spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"],
    },
    {
      name: 'BestEffort must use Exists',
      spec: { hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } },
      want: [
        "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
      ],
    },
    {
      name: 'Exists with values',
      spec: { hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'Terminating', operator: 'Exists', values: ['x'] }] } },
      want: ["spec.scopeSelector.matchExpressions.values: Invalid value: [\"x\"]: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"],
    },
    {
      name: 'bad operator',
      spec: { hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Like' }] } },
      want: ['spec.scopeSelector.matchExpressions.operator: Invalid value: "Like": not a valid selector operator'],
    },
  ])('$name', ({ spec, want }) => {
    expect(messages(quota(spec))).toEqual(want);
  });

  it('validates status.hard and status.used like spec.hard', () => {
    expect(messages(quota({ hard: { pods: '2' } }, { hard: { pods: '2' }, used: { pods: '-1' } }))).toEqual([
      'status.used[pods]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });

  it('keeps scopes immutable on update', () => {
    const old = quota({ hard: { pods: '5' }, scopes: ['Terminating'] });
    expect(messages(quota({ hard: { pods: '9' }, scopes: ['Terminating'] }), old)).toEqual([]);
    expect(messages(quota({ hard: { pods: '5' }, scopes: ['NotTerminating'] }), old)).toEqual(['spec.scopes: Invalid value: ["NotTerminating"]: field is immutable']);
  });
});
