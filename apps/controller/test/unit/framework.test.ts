// Table tests of the shared pieces: slow start, expectations, canonical JSON, the runner's retry
// rules, flag durations and the --controllers list.
import { describe, expect, it } from 'vitest';
import { createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { canonicalJson, semanticJson } from '../../src/framework/canonical.js';
import { Expectations } from '../../src/framework/expectations.js';
import { ControllerRunner } from '../../src/framework/runner.js';
import { slowStartBatch } from '../../src/framework/slow-start.js';
import { parseDuration } from '../../src/manager/duration.js';
import { resolveControllers } from '../../src/manager/registry.js';

describe('slowStartBatch', () => {
  it.each([
    { name: 'all succeed', count: 10, failAt: [] as number[], want: { succeeded: 10, skipped: 0, errors: 0 }, batches: [1, 2, 4, 3] },
    { name: 'first call fails: one request wasted', count: 10, failAt: [0], want: { succeeded: 0, skipped: 9, errors: 1 }, batches: [1] },
    { name: 'failure in the batch of 4', count: 10, failAt: [4], want: { succeeded: 6, skipped: 3, errors: 1 }, batches: [1, 2, 4] },
    { name: 'nothing to do', count: 0, failAt: [], want: { succeeded: 0, skipped: 0, errors: 0 }, batches: [] },
  ])('$name', async ({ count, failAt, want, batches }) => {
    const seen: number[] = [];
    let inFlight = 0;
    const sizes: number[] = [];
    const r = await slowStartBatch(count, 1, async (i) => {
      if (inFlight === 0) sizes.push(0);
      inFlight++;
      sizes[sizes.length - 1] = (sizes.at(-1) ?? 0) + 1;
      await Promise.resolve();
      inFlight--;
      seen.push(i);
      if (failAt.includes(i)) throw new Error(`fail ${i}`);
    });
    expect({ succeeded: r.succeeded, skipped: r.skipped, errors: r.errors.length }).toEqual(want);
    expect(sizes).toEqual(batches);
    expect(r.lastBatch).toBe(batches.at(-1) ?? 0);
  });

  it('starts at a larger initial batch when asked', async () => {
    const r = await slowStartBatch(20, 8, async () => undefined);
    expect(r).toMatchObject({ succeeded: 20, lastBatch: 12 });
  });

  it('caps concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    await slowStartBatch(100, 1, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    }, 16);
    expect(peak).toBe(16);
  });
});

describe('Expectations', () => {
  it('is satisfied once every creation and deletion was observed', () => {
    const e = new Expectations();
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 2);
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    e.creationFailed('k');
    expect(e.satisfied('k')).toBe(true);
    e.expectDeletions('k', ['ns/a', 'ns/b']);
    e.deletionObserved('k', 'ns/a');
    e.deletionObserved('k', 'ns/a');
    expect(e.satisfied('k')).toBe(false);
    e.deletionObserved('k', 'ns/b');
    expect(e.satisfied('k')).toBe(true);
  });

  it('expires after its TTL', () => {
    let now = 0;
    const e = new Expectations({ ttlMs: 100, now: () => now });
    e.expectCreations('k', 5);
    now = 100;
    expect(e.satisfied('k')).toBe(false);
    now = 101;
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('canonical JSON', () => {
  it.each([
    { a: { b: 1, a: [1, { y: 2, x: 1 }] }, b: { a: [1, { x: 1, y: 2 }], b: 1 }, canonical: true, semantic: true },
    { a: { a: 1, b: undefined }, b: { a: 1 }, canonical: true, semantic: true },
    { a: { a: 1, b: null, c: {}, d: [] }, b: { a: 1 }, canonical: false, semantic: true },
    { a: { a: [1, 2] }, b: { a: [2, 1] }, canonical: false, semantic: false },
    { a: { a: 0, b: false, c: '' }, b: {}, canonical: false, semantic: false },
  ])('$a vs $b', ({ a, b, canonical, semantic }) => {
    expect(canonicalJson(a) === canonicalJson(b)).toBe(canonical);
    expect(semanticJson(a) === semanticJson(b)).toBe(semantic);
  });
});

describe('ControllerRunner', () => {
  it('retries a failing key rate-limited until it succeeds, and honours requeueAfter', async () => {
    const calls: string[] = [];
    let failures = 2;
    let synced = false;
    const runner = new ControllerRunner({
      name: 'test',
      workers: 2,
      hasSynced: () => synced,
      logger: createLogger('test', 'silent'),
      sync: async (key) => {
        calls.push(key);
        if (key === 'flaky' && failures-- > 0) throw new Error('conflict');
        if (key === 'later' && calls.filter((k) => k === 'later').length === 1) return { requeueAfterMs: 5 };
      },
    });
    const abort = new AbortController();
    const running = runner.run(abort.signal);
    runner.enqueue('flaky');
    runner.enqueue('later');
    runner.enqueue('flaky');
    // Nothing may run before the caches sync: give the runner a few turns to misbehave.
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
    synced = true;
    const count = (k: string) => calls.filter((c) => c === k).length;
    await waitFor(() => count('flaky') === 3 && count('later') === 2, { timeoutMs: 2000 });
    abort.abort();
    await running;
    expect(count('flaky')).toBe(3);
    expect(count('later')).toBe(2);
  });
});

describe('flags', () => {
  it.each([
    { value: '40s', want: 40_000 },
    { value: '500ms', want: 500 },
    { value: '5m0s', want: 300_000 },
    { value: '1h30m', want: 5_400_000 },
    { value: '300', want: 300_000 },
    { value: '1.5s', want: 1500 },
  ])('parseDuration($value) = $want', ({ value, want }) => {
    expect(parseDuration('x', value)).toBe(want);
  });

  it.each(['', 'abc', '5 m', '40sx', '-3s'])('rejects %j', (value) => {
    expect(() => parseDuration('node-monitor-grace-period', value)).toThrow(/--node-monitor-grace-period/);
  });

  const ALL = [
    'replicaset', 'deployment', 'job', 'ttl-after-finished', 'daemonset', 'statefulset', 'cronjob', 'endpoints', 'endpointslice', 'garbagecollector', 'namespace', 'nodelifecycle', 'resourcequota',
    'disruption', 'serviceaccount', 'root-ca-cert-publisher', 'nodeipam', 'scaletozero', 'horizontalpodautoscaling', 'persistentvolume-binder', 'persistentvolume-expander', 'pvc-protection', 'pv-protection',
  ];
  it.each([
    { list: '*', want: ALL },
    { list: '*,-nodeipam,-garbagecollector', want: ALL.filter((n) => n !== 'nodeipam' && n !== 'garbagecollector') },
    { list: '-deployment,*', want: ALL.filter((n) => n !== 'deployment') },
    { list: 'deployment,replicaset', want: ['replicaset', 'deployment'] },
    { list: '', want: ALL },
  ])('--controllers $list', ({ list, want }) => {
    expect(resolveControllers(list)).toEqual(want);
  });

  it('rejects an unknown controller', () => {
    expect(() => resolveControllers('*,no-such-controller')).toThrow(/unknown controller "no-such-controller"/);
  });
});
