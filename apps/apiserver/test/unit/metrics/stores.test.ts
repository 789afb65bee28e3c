// The two in-memory stores behind the metrics APIs: resource usage from two kubelet readings
// (resource-store.ts, metrics-server's rules for restarts, repeats and partial pods) and request
// rates from two proxy scrapes (request-store.ts, summed over proxies, per pod and per Service).
import { describe, expect, it } from 'vitest';
import type { NodeScrape, ResourcePoint } from '../../../src/metrics/resource-samples.js';
import { ResourceMetricsStore } from '../../../src/metrics/resource-store.js';
import { RequestRateStore, type ProxyScrape } from '../../../src/metrics/request-store.js';

const point = (timestampMs: number, cpuSeconds: number, startTimeMs?: number): ResourcePoint => ({ timestampMs, cpuSeconds, memoryBytes: 1024, ...(startTimeMs !== undefined ? { startTimeMs } : {}) });

/** One kubelet's report: pod `default/p` with the given containers, and the node. */
function round(node: ResourcePoint | undefined, containers: Record<string, ResourcePoint>): Map<string, NodeScrape> {
  return new Map([['n1', { ...(node ? { node } : {}), pods: new Map([['default/p', new Map(Object.entries(containers))]]) }]]);
}

describe('ResourceMetricsStore', () => {
  it.each([
    { name: 'two readings give a rate over their own timestamps', rounds: [round(point(1000, 1), { c: point(1000, 1, 0) }), round(point(3000, 3), { c: point(3000, 2, 0) })], node: 1, pod: { c: 0.5 }, windowMs: 2000 },
    { name: 'one reading gives none', rounds: [round(point(1000, 1), { c: point(1000, 1, 0) })], node: undefined, pod: undefined, windowMs: undefined },
    { name: 'a restarted container (started after the stored reading) gives none', rounds: [round(point(1000, 1), { c: point(1000, 5, 0) }), round(point(3000, 3), { c: point(3000, 1, 2000) })], node: 1, pod: undefined, windowMs: undefined },
    { name: 'the same reading twice keeps no pair', rounds: [round(point(1000, 1), { c: point(1000, 1, 0) }), round(point(1000, 1), { c: point(1000, 1, 0) })], node: undefined, pod: undefined, windowMs: undefined },
    { name: 'a pod is answered only when every container has a rate', rounds: [round(point(1000, 1), { a: point(1000, 1, 0) }), round(point(2000, 2), { a: point(2000, 2, 0), b: point(2000, 1, 1500) })], node: 1, pod: undefined, windowMs: undefined },
    { name: 'a node missing from the latest round drops out', rounds: [round(point(1000, 1), {}), round(point(2000, 2), {}), new Map<string, NodeScrape>()], node: undefined, pod: undefined, windowMs: undefined },
  ])('$name', ({ rounds, node, pod, windowMs }) => {
    const store = new ResourceMetricsStore();
    for (const r of rounds) store.store(r);
    expect(store.node('n1')?.usage.cpu).toBe(node);
    const p = store.pod('default', 'p');
    expect(p ? Object.fromEntries(p.containers.map((c) => [c.name, c.usage.cpu])) : undefined).toEqual(pod);
    expect(p?.windowMs).toBe(windowMs);
  });
});

const scrape = (timeMs: number, counters: Record<string, number>): ProxyScrape => ({
  timeMs,
  counters: new Map(Object.entries(counters).map(([k, v]) => [JSON.stringify(k.split('/')), v])),
});

describe('RequestRateStore', () => {
  it.each([
    {
      name: 'rates per pod and Service over two scrapes',
      rounds: [{ a: scrape(0, { 'default/web/p1': 10 }) }, { a: scrape(2000, { 'default/web/p1': 30, 'default/web/p2': 4 }) }],
      want: { p1: 10, p2: 2, web: 12, window: 2000 },
    },
    {
      name: 'two proxies sum',
      rounds: [{ a: scrape(0, { 'default/web/p1': 0 }), b: scrape(0, { 'default/web/p1': 0 }) }, { a: scrape(1000, { 'default/web/p1': 3 }), b: scrape(1000, { 'default/web/p1': 2 }) }],
      want: { p1: 5, p2: undefined, web: 5, window: 1000 },
    },
    {
      name: 'requests without a pod count for the Service only',
      rounds: [{ a: scrape(0, {}) }, { a: scrape(1000, { 'default/web/': 7 }) }],
      want: { p1: undefined, p2: undefined, web: 7, window: 1000 },
    },
    {
      name: 'a proxy seen once has no rate yet',
      rounds: [{ a: scrape(0, { 'default/web/p1': 10 }) }],
      want: { p1: undefined, p2: undefined, web: undefined, window: undefined },
    },
    {
      name: 'a proxy missing from a round starts over',
      rounds: [{ a: scrape(0, { 'default/web/p1': 1 }) }, {}, { a: scrape(2000, { 'default/web/p1': 9 }) }],
      want: { p1: undefined, p2: undefined, web: undefined, window: undefined },
    },
  ])('$name', ({ rounds, want }) => {
    const store = new RequestRateStore();
    for (const r of rounds) store.store(new Map(Object.entries(r)));
    expect({ p1: store.pod('default', 'p1'), p2: store.pod('default', 'p2'), web: store.service('default', 'web'), window: store.window?.windowMs }).toEqual(want);
  });
});
