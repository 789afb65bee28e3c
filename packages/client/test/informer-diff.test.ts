import { describe, expect, it } from 'vitest';
import { Store } from '../src/cache/store.js';
import { applyWatchEvent, relistDiff } from '../src/informer/diff.js';
import type { Notification } from '../src/informer/notifications.js';
import type { WatchEvent } from '../src/watch/watch.js';
import { obj, type TestObj } from './helpers.js';

/** A compact picture of a notification: `add a/x@1`, `update a/x@1->2`, `delete a/x@1`. */
function show(n: Notification<TestObj> | undefined): string | undefined {
  if (!n) return undefined;
  const at = (o: { metadata: { namespace?: string; name?: string; resourceVersion?: string } }) =>
    `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}@${o.metadata.resourceVersion}`;
  if (n.type === 'update') return `update ${at(n.oldObj)}->${n.newObj.metadata.resourceVersion}`;
  return `${n.type} ${at(n.obj)}`;
}

function storeWith(objs: TestObj[]): Store<TestObj> {
  const s = new Store<TestObj>();
  for (const o of objs) s.upsert(o);
  return s;
}

describe('relistDiff', () => {
  it.each([
    { name: 'empty cache: all adds', cache: [], list: [obj('a/x', 1), obj('a/y', 2)], want: ['add a/x@1', 'add a/y@2'] },
    { name: 'unchanged objects: nothing', cache: [obj('a/x', 1)], list: [obj('a/x', 1)], want: [] },
    { name: 'changed resourceVersion: update', cache: [obj('a/x', 1)], list: [obj('a/x', 7)], want: ['update a/x@1->7'] },
    { name: 'missing from list: delete with last cached state', cache: [obj('a/x', 1), obj('a/y', 3)], list: [obj('a/y', 3)], want: ['delete a/x@1'] },
    {
      name: 'mixed',
      cache: [obj('a/keep', 1), obj('a/change', 2), obj('a/gone', 3), obj('cluster', 4)],
      list: [obj('a/keep', 1), obj('a/change', 9), obj('a/new', 10), obj('cluster', 4)],
      want: ['update a/change@2->9', 'add a/new@10', 'delete a/gone@3'],
    },
    { name: 'empty list: everything deleted', cache: [obj('x', 1)], list: [], want: ['delete x@1'] },
  ])('$name', ({ cache, list, want }) => {
    const s = storeWith(cache);
    expect(relistDiff(s, list).map(show)).toEqual(want);
    expect(s.size()).toBe(cache.length);
  });
});

describe('applyWatchEvent', () => {
  const bookmark: WatchEvent<TestObj> = { type: 'BOOKMARK', object: { kind: 'Thing', apiVersion: 'v1', metadata: { resourceVersion: '50' } } };
  it.each<{ name: string; cache: TestObj[]; event: WatchEvent<TestObj>; want: string | undefined; after: string[] }>([
    { name: 'ADDED new', cache: [], event: { type: 'ADDED', object: obj('a/x', 2) }, want: 'add a/x@2', after: ['a/x@2'] },
    { name: 'ADDED known (re-watch overlap) is an update', cache: [obj('a/x', 1)], event: { type: 'ADDED', object: obj('a/x', 2) }, want: 'update a/x@1->2', after: ['a/x@2'] },
    { name: 'MODIFIED known', cache: [obj('a/x', 1)], event: { type: 'MODIFIED', object: obj('a/x', 3) }, want: 'update a/x@1->3', after: ['a/x@3'] },
    { name: 'MODIFIED unknown (moved into the selector) is an add', cache: [], event: { type: 'MODIFIED', object: obj('a/x', 3) }, want: 'add a/x@3', after: ['a/x@3'] },
    { name: 'DELETED known gives the final state', cache: [obj('a/x', 1)], event: { type: 'DELETED', object: obj('a/x', 4) }, want: 'delete a/x@4', after: [] },
    { name: 'DELETED unknown: nothing', cache: [obj('a/y', 1)], event: { type: 'DELETED', object: obj('a/x', 4) }, want: undefined, after: ['a/y@1'] },
    { name: 'BOOKMARK changes nothing', cache: [obj('a/x', 1)], event: bookmark, want: undefined, after: ['a/x@1'] },
  ])('$name', ({ cache, event, want, after }) => {
    const s = storeWith(cache);
    expect(show(applyWatchEvent(s, event))).toBe(want);
    expect(s.list().map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`)).toEqual(after);
  });
});
