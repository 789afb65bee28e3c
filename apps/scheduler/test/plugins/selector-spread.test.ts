import type { Service } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../../src/cache/cache.js';
import { SelectorSpread } from '../../src/plugins/selector-spread/selector-spread.js';
import { node, pod, runScore } from '../helpers/builders.js';

const svc = (name: string, selector: Record<string, string>, namespace = 'default'): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port: 80 }] } });

function cacheWith(services: Service[], bound: [string, ReturnType<typeof pod>][]): SchedulerCache {
  const cache = new SchedulerCache({ services: (ns) => services.filter((s) => s.metadata.namespace === ns) });
  for (const n of ['a', 'b', 'c']) cache.upsertNode(node(n));
  for (const [nodeName, p] of bound) {
    p.spec = { ...p.spec, containers: p.spec?.containers ?? [], nodeName };
    cache.upsertPod(p);
  }
  return cache;
}

describe('SelectorSpread', () => {
  it.each<{ name: string; services: Service[]; bound: [string, ReturnType<typeof pod>][]; incoming: ReturnType<typeof pod>; want: Record<string, number> }>([
    { name: 'no owner, no service: neutral', services: [], bound: [['a', pod('x')]], incoming: pod('p'), want: { a: 0, b: 0, c: 0 } },
    {
      name: 'peers by owner: fewer is better',
      services: [],
      bound: [['a', pod('r1', {}, { owner: 'web' })], ['a', pod('r2', {}, { owner: 'web' })], ['b', pod('r3', {}, { owner: 'web' })], ['c', pod('o', {}, { owner: 'other' })]],
      incoming: pod('p', {}, { owner: 'web' }),
      want: { a: 0, b: 50, c: 100 },
    },
    {
      name: 'peers by service selector',
      services: [svc('web', { app: 'web' })],
      bound: [['a', pod('w1', {}, { labels: { app: 'web' } })], ['b', pod('x1', {}, { labels: { app: 'db' } })]],
      incoming: pod('p', {}, { labels: { app: 'web', v: '2' } }),
      want: { a: 0, b: 100, c: 100 },
    },
    {
      name: 'services of other namespaces do not count',
      services: [svc('web', { app: 'web' }, 'other')],
      bound: [['a', pod('w1', {}, { labels: { app: 'web' } })]],
      incoming: pod('p', {}, { labels: { app: 'web' } }),
      want: { a: 0, b: 0, c: 0 },
    },
    {
      name: 'owner and service peers counted once each',
      services: [svc('web', { app: 'web' })],
      bound: [['a', pod('r1', {}, { owner: 'web', labels: { app: 'web' } })], ['a', pod('w2', {}, { labels: { app: 'web' } })], ['b', pod('r2', {}, { owner: 'web' })]],
      incoming: pod('p', {}, { owner: 'web', labels: { app: 'web' } }),
      want: { a: 0, b: 50, c: 100 },
    },
  ])('$name', ({ services, bound, incoming, want }) => {
    const cache = cacheWith(services, bound);
    expect(runScore(new SelectorSpread(cache), incoming, cache)).toEqual(want);
  });
});
