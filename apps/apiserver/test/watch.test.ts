// Watch correctness under load: concurrent writers, several watchers, every watcher sees every
// revision exactly once and in order; a watch from a trimmed revision gets 410 Expired; selector
// watches see objects enter and leave their selection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kite/testing';
import { startTestServer, type TestServer } from './helpers/server.js';
import { openWatch } from './helpers/watch.js';

const WRITERS = 20;
const UPDATES_PER_WRITER = 500;
const WATCHERS = 10;
const ns = '/api/v1/namespaces/default/configmaps';

describe('watch under load', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.stop());

  it(`${WATCHERS} watchers see all ${WRITERS * UPDATES_PER_WRITER} updates of ${WRITERS} writers exactly once, in order`, async () => {
    const created: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const res = await t.api<{ metadata: { resourceVersion: string } }>('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `load-${w}` }, data: { n: '0' } });
      created.push(res.body.metadata.resourceVersion);
    }
    const from = created[created.length - 1];
    const watchers = await Promise.all(Array.from({ length: WATCHERS }, () => openWatch(`${t.url}${ns}?watch=true&resourceVersion=${from}`)));
    const written: number[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const url = `${ns}/load-${w}`;
        let obj = (await t.api<{ metadata: { resourceVersion: string }; data: Record<string, string> }>('GET', url)).body;
        for (let i = 1; i <= UPDATES_PER_WRITER; i++) {
          const res = await t.api<typeof obj>('PUT', url, { ...obj, data: { n: String(i) } });
          expect(res.status).toBe(200);
          obj = res.body;
          written.push(Number(obj.metadata.resourceVersion));
        }
      }),
    );
    written.sort((a, b) => a - b);
    const expectedCount = WRITERS * UPDATES_PER_WRITER;
    await waitFor(() => watchers.every((w) => w.events.length >= expectedCount), { timeoutMs: 30_000, message: 'all events delivered' });
    for (const w of watchers) {
      const revs = w.events.map((e) => Number(e.object.metadata?.resourceVersion));
      expect(w.events.every((e) => e.type === 'MODIFIED')).toBe(true);
      expect(revs).toEqual(written);
      w.close();
    }
  });
});

describe('bounded history', () => {
  let t: TestServer;
  const HISTORY = 50;
  beforeAll(async () => {
    t = await startTestServer({ watchHistory: HISTORY });
  });
  afterAll(async () => t.stop());

  it('answers 410 Expired for a revision older than the retained history, and serves newer ones', async () => {
    const first = await t.api<{ metadata: { resourceVersion: string } }>('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h-0' } });
    const firstRv = Number(first.body.metadata.resourceVersion);
    let last = firstRv;
    for (let i = 1; i <= HISTORY * 2; i++) {
      const r = await t.api<{ metadata: { resourceVersion: string } }>('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `h-${i}` } });
      last = Number(r.body.metadata.resourceVersion);
    }
    await t.server.cache.waitFor(last);
    const old = await t.api<{ kind: string; reason: string; code: number }>('GET', `${ns}?watch=true&resourceVersion=${firstRv}`);
    expect(old.status).toBe(410);
    expect(old.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });

    const recent = await openWatch(`${t.url}${ns}?watch=true&resourceVersion=${last - 5}`);
    expect(recent.status).toBe(200);
    await waitFor(() => recent.events.length === 5, { message: 'the last five events' });
    expect(recent.events.map((e) => Number(e.object.metadata?.resourceVersion))).toEqual([last - 4, last - 3, last - 2, last - 1, last]);
    recent.close();
  });
});

describe('watch semantics', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ bookmarkIntervalMs: 100 });
  });
  afterAll(async () => t.stop());

  it('sends synthetic ADDED events for current state when no resourceVersion is given', async () => {
    await t.api('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'initial-a' } });
    const w = await openWatch(`${t.url}${ns}?watch=true`);
    await waitFor(() => w.events.some((e) => e.object.metadata?.name === 'initial-a'));
    expect(w.events[0]?.type).toBe('ADDED');
    w.close();
  });

  it('turns selector changes into ADDED and DELETED for a label-selected watch', async () => {
    const created = await t.api<{ metadata: { resourceVersion: string } }>('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sel', labels: { tier: 'a' } } });
    const w = await openWatch(`${t.url}${ns}?watch=true&labelSelector=tier%3Db&resourceVersion=${created.body.metadata.resourceVersion}`);
    const patch = (tier: string) => t.api('PATCH', `${ns}/sel`, { metadata: { labels: { tier } } }, 'application/merge-patch+json');
    await patch('b');
    await patch('b2');
    await patch('b');
    await t.api('PATCH', `${ns}/sel`, { data: { x: 'y' } }, 'application/merge-patch+json');
    await t.api('DELETE', `${ns}/sel`);
    await waitFor(() => w.events.length >= 5, { message: 'five selector events' });
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'MODIFIED', 'DELETED']);
    w.close();
  });

  it('filters by field selector and namespace, and sends bookmarks when asked', async () => {
    const start = await t.api<{ metadata: { resourceVersion: string } }>('GET', ns);
    const w = await openWatch(`${t.url}${ns}?watch=true&fieldSelector=metadata.name%3Dpicked&allowWatchBookmarks=true&resourceVersion=${start.body.metadata.resourceVersion}`);
    await t.api('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignored' } });
    await t.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
    await t.api('POST', '/api/v1/namespaces/elsewhere/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'picked' } });
    await t.api('POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'picked' } });
    const rvOf = (e: { object: { metadata?: { resourceVersion?: string } } } | undefined) => Number(e?.object.metadata?.resourceVersion);
    // A bookmark after the event carries a revision at least as new as it: the watcher is current.
    await waitFor(() => {
      const added = w.events.find((e) => e.type === 'ADDED');
      return added !== undefined && w.events.some((e) => e.type === 'BOOKMARK' && rvOf(e) >= rvOf(added));
    }, { message: 'an event and a later bookmark' });
    const added = w.events.filter((e) => e.type === 'ADDED');
    expect(added).toHaveLength(1);
    expect(added[0]?.object.metadata?.name).toBe('picked');
    expect(rvOf(added[0])).toBeGreaterThan(Number(start.body.metadata.resourceVersion));
    w.close();
  });
});
