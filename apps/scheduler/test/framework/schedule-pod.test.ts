import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../../src/cache/cache.js';
import { Framework } from '../../src/framework/framework.js';
import type { Plugin } from '../../src/framework/interface.js';
import { podInfoFor } from '../../src/framework/pod-info.js';
import { asError, Code, SUCCESS } from '../../src/framework/status.js';
import { defaultProfile } from '../../src/plugins/default-profile.js';
import { inTreeRegistry } from '../../src/plugins/registry.js';
import { schedulePod, selectHost, type ScheduleContext } from '../../src/schedule/schedule-pod.js';
import { node, pod } from '../helpers/builders.js';

function setup(nodeCount: number, alloc = { cpu: '4' }) {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodeCount; i++) cache.upsertNode(node(`n${String(i).padStart(4, '0')}`, alloc));
  const framework = new Framework({ profile: defaultProfile(), registry: inTreeRegistry, handle: cache });
  const ctx = (startIndex = 0): ScheduleContext => ({ framework, nodes: cache.nodeList(), percentageOfNodesToScore: 0, startIndex, random: () => 0.5 });
  return { cache, framework, ctx };
}

describe('schedulePod', () => {
  it('stops filtering after numFeasibleNodesToFind and rotates the start index', () => {
    const { ctx } = setup(1000);
    const out = schedulePod(ctx(990), podInfoFor(pod('p', { cpu: '1' })));
    expect('result' in out && out.result.evaluatedNodes).toBe(420);
    expect('result' in out && out.result.feasibleNodes).toBe(420);
    expect(out.nextStartIndex).toBe((990 + 420) % 1000);
  });

  it('examines every node when none fits and explains each', () => {
    const { ctx } = setup(120, { cpu: '1' });
    const out = schedulePod(ctx(), podInfoFor(pod('p', { cpu: '2' })));
    if (!('fitError' in out)) throw new Error('expected a FitError');
    expect(out.fitError.message).toBe('0/120 nodes are available: 120 Insufficient cpu.');
    expect([...out.fitError.unschedulablePlugins()]).toEqual(['NodeResourcesFit']);
  });

  it('picks the emptiest node', () => {
    const { cache, ctx } = setup(3);
    cache.upsertPod(pod('a', { cpu: '2' }, { nodeName: 'n0000' }));
    cache.upsertPod(pod('b', { cpu: '1' }, { nodeName: 'n0001' }));
    const out = schedulePod(ctx(), podInfoFor(pod('p', { cpu: '1' })));
    expect('result' in out && out.result.nodeName).toBe('n0002');
  });

  it('turns a throwing plugin into an Error status', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('n'));
    const boom: Plugin & { filter: () => never } = { name: 'Boom', filter: () => { throw new Error('kaput'); } };
    const framework = new Framework({ profile: { schedulerName: 's', filters: ['Boom'], scores: [] }, registry: new Map([['Boom', () => boom]]), handle: cache });
    const out = schedulePod({ framework, nodes: cache.nodeList(), percentageOfNodesToScore: 0, startIndex: 0 }, podInfoFor(pod('p')));
    expect('error' in out && [out.error.code, out.error.plugin, out.error.message()]).toEqual([Code.Error, 'Boom', 'kaput']);
  });

  it('rejects unknown plugins at construction', () => {
    expect(() => new Framework({ profile: { schedulerName: 's', filters: ['Nope'], scores: [] }, registry: inTreeRegistry, handle: new SchedulerCache() })).toThrow(/unknown plugin "Nope"/);
  });

  it('keeps statuses immutable and shared', () => {
    expect(SUCCESS.withPlugin('')).toBe(SUCCESS);
    expect(asError('x').code).toBe(Code.Error);
  });
});

describe('selectHost', () => {
  const infos = (names: string[]) => {
    const cache = new SchedulerCache();
    for (const n of names) cache.upsertNode(node(n));
    return cache.nodeList();
  };
  it('takes the highest total', () => {
    expect(selectHost(infos(['a', 'b', 'c']), new Float64Array([1, 3, 2]), Math.random)).toBe('b');
  });
  it('breaks ties uniformly at random', () => {
    const nodes = infos(['a', 'b', 'c', 'd']);
    const counts = new Map<string, number>();
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 3000; i++) {
      const h = selectHost(nodes, new Float64Array([5, 9, 9, 9]), random);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    expect(counts.has('a')).toBe(false);
    for (const n of ['b', 'c', 'd']) expect(counts.get(n)).toBeGreaterThan(850);
  });
});
