import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/informer/backoff.js';
import { queryString, resourcePath, type ResourceInfo } from '../src/http/paths.js';

describe('Backoff', () => {
  it.each([
    { name: 'doubles up to the cap', opts: { initialMs: 200, maxMs: 1000, jitter: 0 }, want: [200, 400, 800, 1000, 1000] },
    { name: 'custom factor', opts: { initialMs: 10, factor: 3, maxMs: 1000, jitter: 0 }, want: [10, 30, 90, 270, 810] },
    { name: 'jitter at the low end', opts: { initialMs: 100, jitter: 0.5, random: () => 0 }, want: [50, 100, 200] },
    { name: 'jitter at the high end', opts: { initialMs: 100, jitter: 0.5, random: () => 0.999999 }, want: [150, 300, 600] },
  ])('$name', ({ opts, want }) => {
    const b = new Backoff(opts);
    expect(want.map(() => b.next())).toEqual(want);
    expect(b.attempts()).toBe(want.length);
    b.reset();
    expect(b.attempts()).toBe(0);
  });
});

const pods: ResourceInfo = { group: '', version: 'v1', apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const nodes: ResourceInfo = { group: '', version: 'v1', apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };
const deployments: ResourceInfo = { group: 'apps', version: 'v1', apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true };

describe('resourcePath', () => {
  it.each([
    { rt: pods, parts: { namespace: 'ns' }, want: '/api/v1/namespaces/ns/pods' },
    { rt: pods, parts: {}, want: '/api/v1/pods' },
    { rt: pods, parts: { namespace: 'ns', name: 'p' }, want: '/api/v1/namespaces/ns/pods/p' },
    { rt: pods, parts: { namespace: 'ns', name: 'p', subresource: 'binding' }, want: '/api/v1/namespaces/ns/pods/p/binding' },
    { rt: nodes, parts: { name: 'n1' }, want: '/api/v1/nodes/n1' },
    { rt: nodes, parts: { namespace: 'ignored', name: 'n1', subresource: 'status' }, want: '/api/v1/nodes/n1/status' },
    { rt: deployments, parts: { namespace: 'ns', name: 'd', subresource: 'scale' }, want: '/apis/apps/v1/namespaces/ns/deployments/d/scale' },
    { rt: deployments, parts: {}, want: '/apis/apps/v1/deployments' },
    { rt: pods, parts: { namespace: 'ns', name: '../x?y#z' }, want: '/api/v1/namespaces/ns/pods/..%2Fx%3Fy%23z' },
  ])('$want', ({ rt, parts, want }) => {
    expect(resourcePath(rt, parts)).toBe(want);
  });

  it('rejects an empty name', () => {
    expect(() => resourcePath(pods, { namespace: 'ns', name: '' })).toThrow(/name is required/);
  });
});

describe('queryString', () => {
  it.each([
    { q: {}, want: '' },
    { q: { a: undefined }, want: '' },
    { q: { watch: true, resourceVersion: '12', limit: 5 }, want: '?watch=true&resourceVersion=12&limit=5' },
    { q: { labelSelector: 'a in (x,y),!b' }, want: '?labelSelector=a+in+%28x%2Cy%29%2C%21b' },
  ])('$want', ({ q, want }) => {
    expect(queryString(q)).toBe(want);
  });
});
