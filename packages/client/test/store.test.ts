import { describe, expect, it } from 'vitest';
import { NAMESPACE_INDEX, Store, namespaceIndexFunc } from '../src/cache/store.js';
import { objectKey, splitKey } from '../src/cache/keys.js';
import { mutableCopy } from '../src/cache/readonly.js';
import { obj, type TestObj } from './helpers.js';

const byNode = (o: { readonly spec?: { readonly nodeName?: string } }) => (o.spec?.nodeName ? [o.spec.nodeName] : []);

type Op = ['upsert', TestObj] | ['remove', string] | ['replace', TestObj[]];

function build(ops: Op[]): Store<TestObj> {
  const s = new Store<TestObj>();
  s.addIndexer('node', byNode);
  s.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
  for (const op of ops) {
    if (op[0] === 'upsert') s.upsert(op[1]);
    else if (op[0] === 'remove') s.remove(op[1]);
    else s.replace(op[1]);
  }
  return s;
}

describe('objectKey / splitKey', () => {
  it.each([
    { o: obj('ns1/a', 1), key: 'ns1/a', parts: { namespace: 'ns1', name: 'a' } },
    { o: obj('node-1', 1), key: 'node-1', parts: { namespace: '', name: 'node-1' } },
  ])('$key', ({ o, key, parts }) => {
    expect(objectKey(o)).toBe(key);
    expect(splitKey(key)).toEqual(parts);
  });
});

describe('Store', () => {
  it.each<{ name: string; ops: Op[]; keys: string[]; node?: Record<string, string[]>; ns?: Record<string, string[]> }>([
    { name: 'upsert adds', ops: [['upsert', obj('a/x', 1, 'n1')], ['upsert', obj('b/y', 2, 'n2')]], keys: ['a/x', 'b/y'], node: { n1: ['a/x'], n2: ['b/y'] } },
    { name: 'upsert replaces and re-indexes', ops: [['upsert', obj('a/x', 1, 'n1')], ['upsert', obj('a/x', 2, 'n2')]], keys: ['a/x'], node: { n1: [], n2: ['a/x'] } },
    { name: 'remove unindexes', ops: [['upsert', obj('a/x', 1, 'n1')], ['upsert', obj('a/y', 1, 'n1')], ['remove', 'a/x']], keys: ['a/y'], node: { n1: ['a/y'] }, ns: { a: ['a/y'] } },
    { name: 'remove of a missing key is harmless', ops: [['remove', 'a/x']], keys: [] },
    {
      name: 'replace swaps all content and indexes',
      ops: [['upsert', obj('a/x', 1, 'n1')], ['replace', [obj('b/y', 5, 'n2'), obj('c', 6)]]],
      keys: ['b/y', 'c'],
      node: { n1: [], n2: ['b/y'] },
      ns: { a: [], b: ['b/y'], '': ['c'] },
    },
  ])('$name', ({ ops, keys, node = {}, ns = {} }) => {
    const s = build(ops);
    expect(s.keys().sort()).toEqual(keys);
    expect(s.list().map(objectKey).sort()).toEqual(keys);
    expect(s.size()).toBe(keys.length);
    for (const [value, want] of Object.entries(node)) expect(s.byIndex('node', value).map(objectKey).sort()).toEqual(want);
    for (const [value, want] of Object.entries(ns)) expect(s.indexKeys(NAMESPACE_INDEX, value).sort()).toEqual(want);
  });

  it('returns the previous object from upsert and remove', () => {
    const s = new Store<TestObj>();
    const v1 = obj('a/x', 1);
    expect(s.upsert(v1)).toBeUndefined();
    expect(s.upsert(obj('a/x', 2))).toBe(v1);
    expect(s.remove('a/x')?.metadata.resourceVersion).toBe('2');
    expect(s.get('a/x')).toBeUndefined();
  });

  it('indexes existing objects when an indexer is added late', () => {
    const s = new Store<TestObj>();
    s.upsert(obj('a/x', 1, 'n1'));
    s.addIndexer('node', byNode);
    expect(s.indexKeys('node', 'n1')).toEqual(['a/x']);
  });

  it('supports several values per object', () => {
    const s = new Store<TestObj>();
    s.addIndexer('labels', (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`));
    s.upsert(obj('a/x', 1, undefined, { app: 'web', tier: 'fe' }));
    s.upsert(obj('a/y', 1, undefined, { app: 'web' }));
    expect(s.indexKeys('labels', 'app=web').sort()).toEqual(['a/x', 'a/y']);
    expect(s.indexKeys('labels', 'tier=fe')).toEqual(['a/x']);
  });

  it('rejects unknown and duplicate indexers', () => {
    const s = new Store<TestObj>();
    s.addIndexer('node', byNode);
    expect(() => s.addIndexer('node', byNode)).toThrow(/already exists/);
    expect(() => s.byIndex('nope', 'x')).toThrow(/no indexer/);
  });

  it('mutableCopy gives an independent copy', () => {
    const s = new Store<TestObj>();
    s.upsert(obj('a/x', 1, 'n1'));
    const cached = s.get('a/x');
    if (!cached) throw new Error('missing');
    const copy: TestObj = mutableCopy(cached);
    copy.spec = { nodeName: 'changed' };
    expect(s.get('a/x')?.spec?.nodeName).toBe('n1');
    // @ts-expect-error cached objects are deeply readonly
    cached.metadata.name = 'x';
  });
});
