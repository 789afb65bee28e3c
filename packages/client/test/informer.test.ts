import { afterEach, describe, expect, it } from 'vitest';
import { expired, internal } from '@kite/apimachinery';
import { FakeClock } from '../src/clock.js';
import { objectKey } from '../src/cache/keys.js';
import type { DeepReadonly } from '../src/cache/readonly.js';
import { Informer, type InformerOptions, type InformerPhase } from '../src/informer/informer.js';
import { InformerEvents } from '../src/informer/notifications.js';
import { FakeApi } from './fake-api.js';
import type { TestObj } from './helpers.js';

/** Settles promise chains and microtasks (the fake API resolves synchronously). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

interface Harness {
  api: FakeApi;
  clock: FakeClock;
  informer: Informer<TestObj>;
  /** Every notification as `add ns/x@rv`, `update ns/x@1->2`, `delete ns/x@rv`. */
  log: string[];
  errors: { err: unknown; phase: InformerPhase }[];
  /** Notifications that arrived while the fake API was still delivering an event. */
  syncCalls: number;
  /** Notifications whose object was not what the cache held for that key at the time. */
  inconsistent: string[];
}

const running: Informer<TestObj>[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
});

function harness(setup: (api: FakeApi) => void = () => {}, opts: Partial<InformerOptions<TestObj>> = {}): Harness {
  const api = new FakeApi();
  setup(api);
  const clock = new FakeClock();
  const errors: Harness['errors'] = [];
  const informer = new Informer<TestObj>({
    client: api,
    clock,
    backoff: { initialMs: 100, maxMs: 1000, jitter: 0 },
    onError: (err, phase) => errors.push({ err, phase }),
    ...opts,
  });
  running.push(informer);
  const h: Harness = { api, clock, informer, log: [], errors, syncCalls: 0, inconsistent: [] };
  const at = (o: DeepReadonly<TestObj>) => `${objectKey(o)}@${o.metadata.resourceVersion}`;
  const check = (what: string, key: string, want: string | undefined) => {
    if (api.emitting) h.syncCalls++;
    const cached = informer.store.get(key);
    // The cache may already be ahead of a notification, never behind or missing a live object.
    const have = cached === undefined ? undefined : Number(cached.metadata.resourceVersion);
    if (want !== undefined && (have === undefined || have < Number(want))) h.inconsistent.push(`${what}: cache has ${have}`);
  };
  informer.on(InformerEvents.Add, (o) => {
    h.log.push(`add ${at(o)}`);
    check(`add ${at(o)}`, objectKey(o), o.metadata.resourceVersion);
  });
  informer.on(InformerEvents.Update, (a, b) => {
    h.log.push(a === b ? `resync ${at(b)}` : `update ${at(a)}->${b.metadata.resourceVersion}`);
    check(`update ${at(b)}`, objectKey(b), b.metadata.resourceVersion);
  });
  informer.on(InformerEvents.Delete, (o) => {
    h.log.push(`delete ${at(o)}`);
    if (api.emitting) h.syncCalls++;
  });
  return h;
}

function cacheState(informer: Informer<TestObj>): string[] {
  return informer.store
    .list()
    .map((o) => `${objectKey(o)}@${o.metadata.resourceVersion}`)
    .sort();
}

function apiState(api: FakeApi): string[] {
  return [...api.objects.values()].map((o) => `${objectKey(o)}@${o.metadata.resourceVersion}`).sort();
}

describe('Informer', () => {
  it('lists, delivers adds before start resolves, then watches from the list revision', async () => {
    const h = harness((api) => {
      api.write('ADDED', 'ns/a');
      api.write('ADDED', 'ns/b');
    });
    expect(h.informer.hasSynced()).toBe(false);
    await h.informer.start();
    expect(h.informer.hasSynced()).toBe(true);
    expect(h.log).toEqual(['add ns/a@1', 'add ns/b@2']);
    await flush();
    expect(h.api.watchCalls).toEqual(['2']);
  });

  it('applies watch events in order, asynchronously and with a consistent cache', async () => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    await flush();
    h.api.write('MODIFIED', 'ns/a', { value: 1 });
    h.api.write('ADDED', 'ns/b');
    h.api.write('DELETED', 'ns/a');
    h.api.write('MODIFIED', 'ns/b', { value: 2 });
    await flush();
    expect(h.log).toEqual(['add ns/a@1', 'update ns/a@1->2', 'add ns/b@3', 'delete ns/a@4', 'update ns/b@3->5']);
    expect(cacheState(h.informer)).toEqual(['ns/b@5']);
    expect(h.syncCalls).toBe(0);
    expect(h.inconsistent).toEqual([]);
    expect(h.informer.lastSyncResourceVersion()).toBe('5');
  });

  it('bookmarks advance the revision a re-watch starts from', async () => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    await flush();
    h.api.rev = 40; // other kinds were written meanwhile
    h.api.bookmark();
    await flush();
    expect(h.informer.lastSyncResourceVersion()).toBe('40');
    h.api.closeWatches();
    await flush();
    await h.clock.advance(100);
    expect(h.api.watchCalls).toEqual(['1', '40']);
  });

  it.each([
    // A broken connection waits for the back-off; a clean close of a watch that delivered events
    // is healthy and resumes at once.
    { name: 'broken connection', end: (api: FakeApi) => api.breakWatches(), reported: 1, callsBefore: ['1'] },
    { name: 'clean close', end: (api: FakeApi) => api.closeWatches(), reported: 0, callsBefore: ['1', '2'] },
  ])('resumes after a $name from the last revision, missing nothing', async ({ end, reported, callsBefore }) => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    await flush();
    h.api.write('MODIFIED', 'ns/a');
    await flush();
    end(h.api);
    h.api.write('ADDED', 'ns/b'); // written while the informer is between watches
    await flush();
    expect(h.api.watchCalls).toEqual(callsBefore);
    await h.clock.advance(100);
    expect(h.api.watchCalls).toEqual(['1', '2']);
    await flush();
    expect(h.log).toEqual(['add ns/a@1', 'update ns/a@1->2', 'add ns/b@3']);
    expect(h.errors.filter((e) => e.phase === 'watch')).toHaveLength(reported);
    expect(h.api.listCalls).toBe(1);
  });

  it('backs off while the server is down: 100, 200, 400 … ms, then resumes', async () => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    await flush();
    const realWatch = h.api.watch.bind(h.api);
    let down = true;
    h.api.watch = (opts) => {
      if (!down) return realWatch(opts);
      h.api.watchCalls.push(opts.resourceVersion);
      return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('ECONNREFUSED')) }) };
    };
    h.api.breakWatches();
    await flush();
    const callsAt = (ms: number) => h.clock.advance(ms).then(() => h.api.watchCalls.length);
    expect(await callsAt(99)).toBe(1);
    expect(await callsAt(1)).toBe(2); // +100
    expect(await callsAt(199)).toBe(2);
    expect(await callsAt(1)).toBe(3); // +200
    expect(await callsAt(400)).toBe(4); // +400
    down = false;
    h.api.write('MODIFIED', 'ns/a');
    expect(await callsAt(800)).toBe(5); // +800
    await flush();
    expect(h.log).toEqual(['add ns/a@1', 'update ns/a@1->2']);
    expect(new Set(h.api.watchCalls)).toEqual(new Set(['1']));
  });

  it.each([
    { name: '410 answered to the watch request', gone: (api: FakeApi) => api.breakWatches() },
    { name: '410 as an ERROR event on the open watch', gone: (api: FakeApi) => api.closeWatches(expired('too old resource version')) },
  ])('relists after $name and emits the difference', async ({ gone }) => {
    const h = harness((api) => {
      api.historySize = 3;
      api.write('ADDED', 'ns/keep');
      api.write('ADDED', 'ns/change');
      api.write('ADDED', 'ns/gone');
    });
    await h.informer.start();
    await flush();
    // End the watch, and (in the same tick, before the informer reacts) write more than the
    // history holds.
    gone(h.api);
    h.api.write('MODIFIED', 'ns/change');
    h.api.write('DELETED', 'ns/gone');
    h.api.write('ADDED', 'ns/new');
    h.api.write('MODIFIED', 'ns/new');
    await h.clock.advance(100);
    await flush();
    expect(h.log.slice(3)).toEqual(['update ns/change@2->4', 'add ns/new@7', 'delete ns/gone@3']);
    expect(cacheState(h.informer)).toEqual(apiState(h.api));
    expect(h.api.listCalls).toBe(2);
    expect(h.errors.every((e) => e.phase !== 'list')).toBe(true);
  });

  it('relists at once when the resumed watch gets 410', async () => {
    const h = harness((api) => {
      api.historySize = 2;
      api.write('ADDED', 'ns/a');
    });
    await h.informer.start();
    await flush();
    h.api.breakWatches();
    for (let i = 0; i < 5; i++) h.api.write('MODIFIED', 'ns/a');
    await h.clock.advance(100); // back-off after the break, then the watch from 1 answers 410
    await flush();
    expect(h.api.watchCalls).toEqual(['1', '1', '6']);
    expect(h.api.listCalls).toBe(2);
    expect(h.log).toEqual(['add ns/a@1', 'update ns/a@1->6']);
  });

  it('retries a failing list with back-off, and start resolves once it succeeds', async () => {
    const h = harness((api) => {
      api.failLists = 2;
      api.write('ADDED', 'x');
    });
    let synced = false;
    const started = h.informer.start().then(() => (synced = true));
    await flush();
    expect([h.api.listCalls, synced]).toEqual([1, false]);
    await h.clock.advance(100);
    expect([h.api.listCalls, synced]).toEqual([2, false]);
    await h.clock.advance(200);
    await started;
    expect([h.api.listCalls, synced]).toEqual([3, true]);
    expect(h.errors.map((e) => e.phase)).toEqual(['list', 'list']);
    expect(h.log).toEqual(['add x@1']);
  });

  it('re-delivers every object as update(obj, obj) on resync', async () => {
    const h = harness(
      (api) => {
        api.write('ADDED', 'ns/a');
        api.write('ADDED', 'ns/b');
      },
      { resyncMs: 1000 },
    );
    await h.informer.start();
    await h.clock.advance(999);
    expect(h.log).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.log.slice(2).sort()).toEqual(['resync ns/a@1', 'resync ns/b@2']);
    await h.clock.advance(1000);
    expect(h.log).toHaveLength(6);
  });

  it('replays the cache to an add handler registered after sync, and only to it', async () => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    const late: string[] = [];
    h.informer.on('add', (o) => late.push(objectKey(o)));
    await flush();
    h.api.write('ADDED', 'ns/b');
    await flush();
    expect(late).toEqual(['ns/a', 'ns/b']);
    expect(h.log).toEqual(['add ns/a@1', 'add ns/b@2']);
  });

  it('reports a throwing handler and still calls the others; off() unregisters', async () => {
    const h = harness();
    const boom = () => {
      throw internal('handler bug');
    };
    h.informer.on('add', boom);
    await h.informer.start();
    await flush();
    h.api.write('ADDED', 'ns/a');
    await flush();
    h.informer.off('add', boom);
    h.api.write('ADDED', 'ns/b');
    await flush();
    expect(h.log).toEqual(['add ns/a@1', 'add ns/b@2']);
    expect(h.errors.map((e) => e.phase)).toEqual(['handler']);
  });

  it('stop ends the watch and no handler runs afterwards', async () => {
    const h = harness((api) => api.write('ADDED', 'ns/a'));
    await h.informer.start();
    await flush();
    expect(h.api.openWatches()).toBe(1);
    await h.informer.stop();
    expect(h.api.openWatches()).toBe(0);
    h.api.write('ADDED', 'ns/b');
    await flush();
    expect(h.log).toEqual(['add ns/a@1']);
  });

  it('start rejects when stopped before it synced', async () => {
    const h = harness((api) => (api.failLists = 100));
    const started = h.informer.start();
    await flush();
    await h.informer.stop();
    await expect(started).rejects.toThrow(/stopped before it synced/);
  });

  it('passes namespace and selectors to list and watch', async () => {
    const h = harness(() => {}, { namespace: 'ns', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
    const seen: unknown[] = [];
    const { listAll, watch } = h.api;
    h.api.listAll = (o) => (seen.push(o), listAll.call(h.api, o));
    h.api.watch = (o) => (seen.push(o), watch.call(h.api, o));
    await h.informer.start();
    await flush();
    expect(seen).toMatchObject([
      { namespace: 'ns', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', limit: 500 },
      { namespace: 'ns', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', resourceVersion: '0', allowWatchBookmarks: true },
    ]);
  });
});
