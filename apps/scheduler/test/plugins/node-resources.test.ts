import type { Container, Pod } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { podInfoFor } from '../../src/framework/pod-info.js';
import { computePodRequests } from '../../src/framework/resources.js';
import { Code } from '../../src/framework/status.js';
import { NodeResourcesBalancedAllocation } from '../../src/plugins/node-resources/balanced-allocation.js';
import { NodeResourcesFit } from '../../src/plugins/node-resources/fit.js';
import { NodeResourcesLeastAllocated } from '../../src/plugins/node-resources/least-allocated.js';
import { cacheWith, node, pod, runFilter, runScore, type Resources } from '../helpers/builders.js';

const bound = (name: string, requests: Resources, nodeName = 'n') => pod(name, requests, { nodeName });
const fit = new NodeResourcesFit();

describe('NodeResourcesFit', () => {
  it.each<{ name: string; alloc: Resources; existing: Resources[]; request: Resources; want: Code; reasons?: string[] }>([
    { name: 'fits an empty node', alloc: { cpu: '2', memory: '4Gi' }, existing: [], request: { cpu: '1', memory: '1Gi' }, want: Code.Success },
    { name: 'fits exactly', alloc: { cpu: '2' }, existing: [{ cpu: '1500m' }], request: { cpu: '500m' }, want: Code.Success },
    { name: 'cpu short by 100m', alloc: { cpu: '2' }, existing: [{ cpu: '1500m' }], request: { cpu: '600m' }, want: Code.Unschedulable, reasons: ['Insufficient cpu'] },
    { name: 'memory short', alloc: { memory: '1Gi' }, existing: [{ memory: '768Mi' }], request: { memory: '512Mi' }, want: Code.Unschedulable, reasons: ['Insufficient memory'] },
    { name: 'both short, both reported', alloc: { cpu: '1', memory: '1Gi' }, existing: [{ cpu: '1', memory: '1Gi' }], request: { cpu: '1m', memory: '1' }, want: Code.Unschedulable, reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'larger than the node: unresolvable', alloc: { cpu: '2' }, existing: [], request: { cpu: '3' }, want: Code.UnschedulableAndUnresolvable, reasons: ['Insufficient cpu'] },
    { name: 'too many pods', alloc: { pods: '2' }, existing: [{}, {}], request: {}, want: Code.Unschedulable, reasons: ['Too many pods'] },
    { name: 'best-effort pod on a full node', alloc: { cpu: '1' }, existing: [{ cpu: '1' }], request: {}, want: Code.Success },
    { name: 'extended resource', alloc: { 'example.com/gpu': '1' }, existing: [{ 'example.com/gpu': '1' }], request: { 'example.com/gpu': '1' }, want: Code.Unschedulable, reasons: ['Insufficient example.com/gpu'] },
    { name: 'extended resource the node lacks', alloc: {}, existing: [], request: { 'example.com/gpu': '1' }, want: Code.UnschedulableAndUnresolvable, reasons: ['Insufficient example.com/gpu'] },
  ])('$name', ({ alloc, existing, request, want, reasons }) => {
    const cache = cacheWith([node('n', alloc)], existing.map((r, i) => bound(`e${i}`, r)));
    const out = runFilter(fit, pod('p', request), cache, 'n');
    expect(out.code).toBe(want);
    if (reasons) expect(out.reasons).toEqual(reasons);
  });

  it('counts assumed pods like bound ones', () => {
    const cache = cacheWith([node('n', { cpu: '1' })]);
    expect(runFilter(fit, pod('p', { cpu: '600m' }), cache, 'n').code).toBe(Code.Success);
    cache.assumePod(podInfoFor(pod('a', { cpu: '600m' })), 'n');
    expect(runFilter(fit, pod('p', { cpu: '600m' }), cache, 'n').reasons).toEqual(['Insufficient cpu']);
    cache.forgetPod('default/a');
    expect(runFilter(fit, pod('p', { cpu: '600m' }), cache, 'n').code).toBe(Code.Success);
  });

  it('finished pods free their resources', () => {
    const done = bound('done', { cpu: '1' });
    done.status = { phase: 'Succeeded' };
    expect(runFilter(fit, pod('p', { cpu: '1' }), cacheWith([node('n', { cpu: '1' })], [done]), 'n').code).toBe(Code.Success);
  });
});

const c = (name: string, requests: Resources, sidecar = false): Container => ({ name, image: 'x', resources: { requests }, ...(sidecar ? { restartPolicy: 'Always' as const } : {}) });

describe('effective pod requests', () => {
  it.each<{ name: string; containers: Container[]; init?: Container[]; overhead?: Resources; cpu: number; memory: number }>([
    { name: 'sum of containers', containers: [c('a', { cpu: '100m' }), c('b', { cpu: '200m', memory: '1Mi' })], cpu: 300, memory: 1048576 },
    { name: 'init container larger than the sum', containers: [c('a', { cpu: '100m' }), c('b', { cpu: '200m' })], init: [c('i1', { cpu: '500m' }), c('i2', { cpu: '50m' })], cpu: 500, memory: 0 },
    { name: 'init container smaller than the sum', containers: [c('a', { cpu: '1' })], init: [c('i', { cpu: '500m' })], cpu: 1000, memory: 0 },
    { name: 'sidecar runs beside apps and later inits', containers: [c('a', { cpu: '100m' })], init: [c('side', { cpu: '200m' }, true), c('i', { cpu: '500m' })], cpu: 700, memory: 0 },
    { name: 'overhead is added', containers: [c('a', { cpu: '100m' })], overhead: { cpu: '50m', memory: '10Mi' }, cpu: 150, memory: 10485760 },
  ])('$name', ({ containers, init, overhead, cpu, memory }) => {
    const spec: NonNullable<Pod['spec']> = { containers, initContainers: init, overhead };
    const { requests } = computePodRequests(spec);
    expect([requests.milliCPU, requests.memory]).toEqual([cpu, memory]);
  });

  it('scoring counts unset requests as 100m and 200Mi', () => {
    const { requests, nonZero } = computePodRequests({ containers: [c('a', {})] });
    expect([requests.milliCPU, requests.memory]).toEqual([0, 0]);
    expect(nonZero).toEqual({ milliCPU: 100, memory: 200 * 1024 * 1024 });
  });
});

describe('NodeResourcesLeastAllocated', () => {
  it.each<{ name: string; request: Resources; want: Record<string, number> }>([
    // big: 8 cpu/16Gi with 2/4Gi used; small: 2 cpu/4Gi with 1/2Gi used.
    { name: 'emptier node wins', request: { cpu: '500m', memory: '1Gi' }, want: { big: 68.75, small: 25 } },
    { name: 'a full node scores 0', request: { cpu: '1', memory: '2Gi' }, want: { big: 62.5, small: 0 } },
    { name: 'a pod that does not fit scores 0 on that resource', request: { cpu: '2', memory: '1Gi' }, want: { big: 59.38, small: 12.5 } },
  ])('$name', ({ request, want }) => {
    const cache = cacheWith(
      [node('big', { cpu: '8', memory: '16Gi' }), node('small', { cpu: '2', memory: '4Gi' })],
      [bound('b', { cpu: '2', memory: '4Gi' }, 'big'), bound('s', { cpu: '1', memory: '2Gi' }, 'small')],
    );
    expect(runScore(new NodeResourcesLeastAllocated(), pod('p', request), cache)).toEqual(want);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it.each<{ name: string; request: Resources; want: Record<string, number> }>([
    // cpuHeavy: 4 cpu/8Gi with 3 cpu used; even: same node with 1 cpu/2Gi used.
    { name: 'balanced usage wins', request: { cpu: '1', memory: '2Gi' }, want: { cpuHeavy: 62.5, even: 100 } },
    { name: 'a memory-heavy pod balances the cpu-heavy node', request: { cpu: '100m', memory: '6Gi' }, want: { cpuHeavy: 98.75, even: 63.75 } },
  ])('$name', ({ request, want }) => {
    const cache = cacheWith(
      [node('cpuHeavy', { cpu: '4', memory: '8Gi' }), node('even', { cpu: '4', memory: '8Gi' })],
      [bound('h', { cpu: '3', memory: '0' }, 'cpuHeavy'), bound('e', { cpu: '1', memory: '2Gi' }, 'even')],
    );
    expect(runScore(new NodeResourcesBalancedAllocation(), pod('p', request), cache)).toEqual(want);
  });
});

