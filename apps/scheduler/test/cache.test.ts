import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../src/cache/cache.js';
import { podInfoFor } from '../src/framework/pod-info.js';
import { node, pod } from './helpers/builders.js';

const cpuOn = (cache: SchedulerCache, name: string) => cache.nodeInfo(name)?.requested.milliCPU;

describe('SchedulerCache', () => {
  it('assume → confirm by watch keeps one count', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('a'));
    const p = pod('p', { cpu: '500m' });
    cache.assumePod(podInfoFor(p), 'a');
    expect([cpuOn(cache, 'a'), cache.isAssumed('default/p')]).toEqual([500, true]);
    cache.upsertPod({ ...p, spec: { ...p.spec, containers: p.spec?.containers ?? [], nodeName: 'a' } });
    expect([cpuOn(cache, 'a'), cache.isAssumed('default/p'), cache.podCount()]).toEqual([500, false, 1]);
  });

  it('a pod bound elsewhere (by another scheduler) moves to that node', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('a'));
    cache.upsertNode(node('b'));
    const p = pod('p', { cpu: '500m' });
    cache.assumePod(podInfoFor(p), 'a');
    cache.upsertPod(pod('p', { cpu: '500m' }, { nodeName: 'b' }));
    expect([cpuOn(cache, 'a'), cpuOn(cache, 'b')]).toEqual([0, 500]);
  });

  it('forget undoes an assumption but never a confirmed pod', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('a'));
    cache.assumePod(podInfoFor(pod('p', { cpu: '1' })), 'a');
    cache.forgetPod('default/p');
    expect(cpuOn(cache, 'a')).toBe(0);
    cache.upsertPod(pod('q', { cpu: '1' }, { nodeName: 'a' }));
    cache.forgetPod('default/q');
    expect(cpuOn(cache, 'a')).toBe(1000);
  });

  it('an unbound update of an assumed pod keeps the assumption', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('a'));
    const p = pod('p', { cpu: '1' });
    cache.assumePod(podInfoFor(p), 'a');
    cache.upsertPod({ ...p, status: { phase: 'Pending' } });
    expect(cache.isAssumed('default/p')).toBe(true);
  });

  it('counts pods of unknown nodes and keeps node order stable', () => {
    const cache = new SchedulerCache();
    cache.upsertPod(pod('early', { cpu: '1' }, { nodeName: 'late' }));
    expect(cache.nodeList()).toHaveLength(0);
    for (const n of ['x', 'late', 'y']) cache.upsertNode(node(n));
    expect(cache.nodeList().map((n) => n.name)).toEqual(['x', 'late', 'y']);
    expect(cpuOn(cache, 'late')).toBe(1000);
    cache.removeNode('late');
    expect(cache.nodeList().map((n) => n.name)).toEqual(['x', 'y']);
    expect(cpuOn(cache, 'late')).toBe(1000); // its pods are still accounted until they go
    cache.removePod('default/early');
    expect(cache.nodeInfo('late')).toBeUndefined();
  });

  it('finished pods release their node', () => {
    const cache = new SchedulerCache();
    cache.upsertNode(node('a'));
    const p = pod('p', { cpu: '1' }, { nodeName: 'a' });
    cache.upsertPod(p);
    cache.upsertPod({ ...p, status: { phase: 'Failed' } });
    expect([cpuOn(cache, 'a'), cache.podCount()]).toEqual([0, 0]);
  });
});
