import { describe, expect, it } from 'vitest';
import { evaluatePolicy, parsePolicy } from '../../../src/audit/policy.js';
import type { Attributes } from '../../../src/auth/types.js';

const user = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const res = (resource: string, extra: Partial<Attributes & { resourceRequest: true }> = {}): Attributes => ({
  resourceRequest: true, user, verb: 'get', apiGroup: '', apiVersion: 'v1', resource, subresource: '', namespace: 'default', name: 'x', ...extra,
});
const path = (p: string): Attributes => ({ resourceRequest: false, user, verb: 'get', path: p });
const policy = (rules: string, head = '') => parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${head}rules:\n${rules}`);

describe('audit policy', () => {
  it('takes the first matching rule; no match is None', () => {
    const p = policy('  - level: Metadata\n    resources: [{group: "", resources: [pods]}]\n  - level: Request\n    verbs: [get]\n');
    expect(evaluatePolicy(p, res('pods')).level).toBe('Metadata');
    expect(evaluatePolicy(p, res('secrets')).level).toBe('Request');
    expect(evaluatePolicy(p, res('secrets', { verb: 'list' })).level).toBe('None');
  });

  it('matches users, groups, namespaces and resource names', () => {
    const p = policy('  - level: RequestResponse\n    users: [alice]\n    namespaces: [prod]\n  - level: Metadata\n    userGroups: [devs]\n    resources: [{group: apps, resources: [deployments], resourceNames: [web]}]\n');
    expect(evaluatePolicy(p, res('pods', { namespace: 'prod' })).level).toBe('RequestResponse');
    expect(evaluatePolicy(p, res('deployments', { apiGroup: 'apps', name: 'web' })).level).toBe('Metadata');
    expect(evaluatePolicy(p, res('deployments', { apiGroup: 'apps', name: 'api' })).level).toBe('None');
    expect(evaluatePolicy(p, res('deployments', { apiGroup: '', name: 'web' })).level).toBe('None');
  });

  it('knows the resource wildcards *, */sub and res/*', () => {
    const p = policy('  - level: Request\n    resources: [{group: "", resources: ["*/status"]}]\n  - level: Metadata\n    resources: [{group: "", resources: ["pods/*"]}]\n  - level: RequestResponse\n    resources: [{group: "", resources: ["*"]}]\n');
    expect(evaluatePolicy(p, res('nodes', { subresource: 'status' })).level).toBe('Request');
    expect(evaluatePolicy(p, res('pods', { subresource: 'log' })).level).toBe('Metadata');
    expect(evaluatePolicy(p, res('secrets')).level).toBe('RequestResponse');
  });

  it('matches non-resource URLs by path or trailing-* prefix, never resource requests', () => {
    const p = policy('  - level: Metadata\n    nonResourceURLs: ["/healthz*", /version]\n');
    expect(evaluatePolicy(p, path('/healthz/ping')).level).toBe('Metadata');
    expect(evaluatePolicy(p, path('/version')).level).toBe('Metadata');
    expect(evaluatePolicy(p, path('/versions')).level).toBe('None');
    expect(evaluatePolicy(p, res('pods')).level).toBe('None');
  });

  it('joins policy and rule omitStages, and takes omitManagedFields from the rule first', () => {
    const p = policy('  - level: Metadata\n    omitStages: [ResponseStarted]\n    omitManagedFields: false\n', 'omitStages: [RequestReceived]\nomitManagedFields: true\n');
    const d = evaluatePolicy(p, res('pods'));
    expect([...d.omitStages].sort()).toEqual(['RequestReceived', 'ResponseStarted']);
    expect(d.omitManagedFields).toBe(false);
  });

  it('refuses bad policies with the field and the reason', () => {
    expect(() => parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n')).toThrow('0 rules');
    expect(() => policy('  - level: Loud\n')).toThrow('rules[0].level: Unsupported value: "Loud"');
    expect(() => policy('  - verbs: [get]\n')).toThrow('rules[0].level: Required value');
    expect(() => policy('  - level: None\n    omitStages: [Later]\n')).toThrow('rules[0].omitStages[0]: Unsupported value: "Later"');
    expect(() => policy('  - level: None\n    nonResourceURLs: [/a]\n    resources: [{group: ""}]\n')).toThrow('both regular resources and non-resource URLs');
    expect(() => policy('  - level: None\n    nonResourceURLs: ["/a*b"]\n')).toThrow("must be the final character");
    expect(() => parsePolicy('apiVersion: v1\nkind: Policy\nrules: [{level: None}]\n')).toThrow('apiVersion must be audit.k8s.io/v1');
  });
});
