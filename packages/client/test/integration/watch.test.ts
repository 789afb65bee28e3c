// Watch streams from a real apiserver: order of events, bookmarks, and 410 for trimmed history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, type ConfigMap } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { WatchEvent } from '../../src/watch/watch.js';
import { startEnv, type Env } from './env.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv(['--watch-history', '20', '--bookmark-interval-ms', '200']);
});
afterAll(async () => {
  await env?.close();
});

const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { w: 'x' } }, data: { v } });

describe('watch', () => {
  it('delivers ADDED, MODIFIED, DELETED in order from a list revision', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const list = await cms.list({ namespace: 'default', labelSelector: 'w=x' });
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of cms.watch({ namespace: 'default', labelSelector: 'w=x', resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
        if (e.type === 'BOOKMARK') continue;
        seen.push(`${e.type} ${e.object.metadata.name} ${e.object.data?.v ?? ''}`);
        if (seen.length === 4) ac.abort();
      }
    })();
    const created = await cms.create(cm('w1', '1'));
    await cms.update({ ...created, data: { v: '2' } });
    await cms.create(cm('w2', '1'));
    await cms.delete('w1', { namespace: 'default' });
    await done;
    expect(seen).toEqual(['ADDED w1 1', 'MODIFIED w1 2', 'ADDED w2 1', 'DELETED w1 2']);
  });

  it('sends bookmarks that advance the resourceVersion', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const list = await cms.list({ namespace: 'default' });
    const ac = new AbortController();
    let bookmark: WatchEvent<ConfigMap> | undefined;
    for await (const e of cms.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (e.type === 'BOOKMARK') {
        bookmark = e;
        ac.abort();
      }
    }
    expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.metadata.resourceVersion));
  });

  it('answers 410 for a revision older than the history', async () => {
    const cms = env.client.resource(ConfigMapResource);
    const first = await cms.create(cm('old', '0'));
    for (let i = 1; i <= 30; i++) await cms.patch('old', { data: { v: String(i) } }, { type: 'merge', namespace: 'default' });
    const err = await (async () => {
      for await (const _ of cms.watch({ namespace: 'default', resourceVersion: first.metadata.resourceVersion })) break;
    })().catch((e: unknown) => e);
    expect(isApiError(err) && [err.code, err.reason]).toEqual([410, 'Expired']);
  });
});
