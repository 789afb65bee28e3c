import { describe, expect, it } from 'vitest';
import { ObjectMeta } from '@kite/api-types';
import { strategicMergePatch, type JsonSchema } from '../src/index.js';
import { apiErrorOf, deepFreeze, touchEverything } from './helpers.js';

// A small hand-written schema with the shapes kubectl's patches exercise, so these tests do not
// depend on the real kinds in @kite/api-types.
const mergeBy = (key: string, items: JsonSchema, strategy = 'merge'): JsonSchema => ({
  type: 'array',
  items,
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
});
const stringMap: JsonSchema = { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } };
const container: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    image: { type: 'string' },
    args: { type: 'array', items: { type: 'string' } },
    env: mergeBy('name', { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } }),
    ports: mergeBy('containerPort', { type: 'object', properties: { containerPort: { type: 'integer' } } }),
  },
};
const podSpec: JsonSchema = {
  type: 'object',
  properties: {
    containers: mergeBy('name', container),
    // A union-wrapped list (as Type.Union([Type.Array(..), Type.Null()]) produces).
    initContainers: { anyOf: [mergeBy('name', container), { type: 'null' }] },
    volumes: mergeBy('name', { type: 'object', properties: { name: { type: 'string' } } }, 'merge,retainKeys'),
    tolerations: { type: 'array', items: { type: 'object' } },
    nodeSelector: stringMap,
  },
};
const schema: JsonSchema = {
  type: 'object',
  properties: {
    metadata: {
      type: 'object',
      properties: {
        labels: stringMap,
        annotations: stringMap,
        finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
      },
    },
    spec: {
      type: 'object',
      properties: {
        strategy: {
          type: 'object',
          'x-kubernetes-patch-strategy': 'retainKeys',
          properties: { type: { type: 'string' }, rollingUpdate: { type: 'object' } },
        },
        template: { type: 'object', properties: { spec: podSpec } },
        // Maps of objects: Type.Record(Type.String(), Type.Object(..)).
        pools: { type: 'object', additionalProperties: { type: 'object', properties: { members: mergeBy('id', { type: 'object' }) } } },
      },
    },
  },
};

const pod = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });

interface Case {
  name: string;
  original: unknown;
  patch: Record<string, unknown>;
  want: unknown;
}

describe('strategicMergePatch: maps', () => {
  it.each<Case>([
    {
      name: 'merges recursively, null deletes a key',
      original: { metadata: { labels: { app: 'web', old: 'x' }, annotations: { a: '1' } } },
      patch: { metadata: { labels: { tier: 'fe', old: null } } },
      want: { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: { a: '1' } } },
    },
    {
      name: '$patch: replace replaces a map',
      original: pod({ nodeSelector: { zone: 'a', disk: 'ssd' } }),
      patch: pod({ nodeSelector: { $patch: 'replace', zone: 'b' } }),
      want: pod({ nodeSelector: { zone: 'b' } }),
    },
    {
      name: '$patch: delete removes a map',
      original: pod({ nodeSelector: { zone: 'a' }, containers: [] }),
      patch: pod({ nodeSelector: { $patch: 'delete' } }),
      want: pod({ containers: [] }),
    },
    {
      name: '$retainKeys drops keys not listed (RollingUpdate → Recreate)',
      original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      want: { spec: { strategy: { type: 'Recreate' } } },
    },
    {
      name: 'a missing original map is created',
      original: {},
      patch: { metadata: { labels: { app: 'web', gone: null } } },
      want: { metadata: { labels: { app: 'web' } } },
    },
    {
      name: '$patch: replace at the root',
      original: { metadata: { name: 'a' }, spec: { x: 1 } },
      patch: { $patch: 'replace', metadata: { name: 'b' } },
      want: { metadata: { name: 'b' } },
    },
    {
      name: 'records of objects follow additionalProperties',
      original: { spec: { pools: { p1: { members: [{ id: 1, w: 1 }, { id: 2, w: 1 }] } } } },
      patch: { spec: { pools: { p1: { members: [{ id: 2, w: 5 }] } } } },
      want: { spec: { pools: { p1: { members: [{ id: 1, w: 1 }, { id: 2, w: 5 }] } } } },
    },
  ])('$name', ({ original, patch, want }) => {
    const result = strategicMergePatch(deepFreeze(original), deepFreeze(patch), schema);
    expect(result).toEqual(want);
    touchEverything(result);
  });
});

describe('strategicMergePatch: lists', () => {
  const app = { name: 'app', image: 'v1', args: ['--a'], env: [{ name: 'A', value: '1' }] };
  const side = { name: 'side', image: 's1' };
  it.each<Case>([
    {
      name: 'kubectl apply: new image, with $setElementOrder and the last-applied annotation',
      original: { metadata: { annotations: { other: 'x' } }, ...pod({ containers: [app] }) },
      patch: {
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
        spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ image: 'new', name: 'app' }] } } },
      },
      want: {
        metadata: { annotations: { other: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
        ...pod({ containers: [{ ...app, image: 'new' }] }),
      },
    },
    {
      name: 'a patch item with a new key is appended',
      original: pod({ containers: [app] }),
      patch: pod({ containers: [side] }),
      want: pod({ containers: [app, side] }),
    },
    {
      name: '{$patch: delete, name} removes an item',
      original: pod({ containers: [app, side] }),
      patch: pod({ containers: [{ $patch: 'delete', name: 'app' }] }),
      want: pod({ containers: [side] }),
    },
    {
      name: '{$patch: replace} replaces the whole list',
      original: pod({ containers: [app, side] }),
      patch: pod({ containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] }),
      want: pod({ containers: [{ name: 'only', image: 'o' }] }),
    },
    {
      name: 'nested merge lists (env by name) and null inside an item',
      original: pod({ containers: [app] }),
      patch: pod({ containers: [{ name: 'app', env: [{ name: 'B', value: '2' }, { name: 'A', value: '9' }], args: null }] }),
      want: pod({ containers: [{ name: 'app', image: 'v1', env: [{ name: 'A', value: '9' }, { name: 'B', value: '2' }] }] }),
    },
    {
      name: 'numeric merge key (ports by containerPort)',
      original: pod({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
      patch: pod({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'web' }, { $patch: 'delete', containerPort: 443 }] }] }),
      want: pod({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'web' }] }] }),
    },
    {
      name: 'lists without a strategy are replaced (args, tolerations)',
      original: pod({ containers: [app], tolerations: [{ key: 'a' }, { key: 'b' }] }),
      patch: pod({ containers: [{ name: 'app', args: ['--b'] }], tolerations: [{ key: 'c' }] }),
      want: pod({ containers: [{ ...app, args: ['--b'] }], tolerations: [{ key: 'c' }] }),
    },
    {
      name: 'a union-wrapped list is merged by its branch’s key',
      original: pod({ initContainers: [{ name: 'init', image: 'i1' }] }),
      patch: pod({ initContainers: [{ name: 'init', image: 'i2' }] }),
      want: pod({ initContainers: [{ name: 'init', image: 'i2' }] }),
    },
    {
      name: 'null removes a list',
      original: pod({ containers: [app], tolerations: [{ key: 'a' }] }),
      patch: pod({ tolerations: null }),
      want: pod({ containers: [app] }),
    },
  ])('$name', ({ original, patch, want }) => {
    const result = strategicMergePatch(deepFreeze(original), deepFreeze(patch), schema);
    expect(result).toEqual(want);
    touchEverything(result);
  });
});

describe('strategicMergePatch: primitive lists and ordering', () => {
  const c = (name: string) => ({ name, image: name });
  it.each<Case>([
    {
      name: 'merge-strategy primitives are unioned (finalizers)',
      original: { metadata: { finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['b', 'c'] } },
      want: { metadata: { finalizers: ['a', 'b', 'c'] } },
    },
    {
      name: '$deleteFromPrimitiveList removes values',
      original: { metadata: { finalizers: ['a', 'b', 'c'] } },
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'c'], finalizers: ['d'] } },
      want: { metadata: { finalizers: ['b', 'd'] } },
    },
    {
      name: '$setElementOrder on a primitive list',
      original: { metadata: { finalizers: ['a', 'b'] } },
      patch: { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } },
      want: { metadata: { finalizers: ['c', 'b', 'a'] } },
    },
    {
      name: '$setElementOrder reorders a merged list',
      original: pod({ containers: [c('a'), c('b')] }),
      patch: pod({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'new' }, { name: 'a' }], containers: [c('new')] }),
      want: pod({ containers: [c('b'), c('new'), c('a')] }),
    },
    {
      name: 'server-only items keep their place after the ordered ones',
      original: pod({ containers: [c('app'), c('injected')] }),
      patch: pod({ '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'app', image: 'v2' }] }),
      want: pod({ containers: [{ name: 'app', image: 'v2' }, c('injected')] }),
    },
    {
      name: 'server-only items keep their place before the ordered ones',
      original: pod({ containers: [c('injected'), c('app')] }),
      patch: pod({ '$setElementOrder/containers': [{ name: 'app' }] }),
      want: pod({ containers: [c('injected'), c('app')] }),
    },
    {
      name: 'order entries missing from the list are ignored',
      original: pod({ containers: [c('a'), c('b')] }),
      patch: pod({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'gone' }, { name: 'a' }] }),
      want: pod({ containers: [c('b'), c('a')] }),
    },
  ])('$name', ({ original, patch, want }) => {
    const result = strategicMergePatch(deepFreeze(original), deepFreeze(patch), schema);
    expect(result).toEqual(want);
  });
});

describe('strategicMergePatch: schema walking', () => {
  // ObjectMeta is a real TypeBox schema: Type.Optional, Type.Record for labels, ownerReferences
  // merged by uid, finalizers merged as primitives.
  const withMeta: JsonSchema = { type: 'object', properties: { metadata: ObjectMeta } };
  it.each<Case & { schema: JsonSchema | undefined }>([
    {
      name: 'TypeBox ObjectMeta: ownerReferences by uid, finalizers unioned, labels merged',
      schema: withMeta,
      original: { metadata: { labels: { a: '1' }, finalizers: ['x'], ownerReferences: [{ uid: 'u1', name: 'rs-1' }] } },
      patch: { metadata: { labels: { b: '2' }, finalizers: ['y'], ownerReferences: [{ uid: 'u2', name: 'rs-2' }, { uid: 'u1', name: 'rs-1b' }] } },
      want: { metadata: { labels: { a: '1', b: '2' }, finalizers: ['x', 'y'], ownerReferences: [{ uid: 'u1', name: 'rs-1b' }, { uid: 'u2', name: 'rs-2' }] } },
    },
    {
      name: 'without a schema maps merge and lists are replaced',
      schema: undefined,
      original: { metadata: { labels: { a: '1' }, finalizers: ['x'] }, spec: { containers: [{ name: 'a' }] } },
      patch: { metadata: { labels: { b: '2' }, finalizers: ['y'] }, spec: { containers: [{ name: 'b' }] } },
      want: { metadata: { labels: { a: '1', b: '2' }, finalizers: ['y'] }, spec: { containers: [{ name: 'b' }] } },
    },
    {
      name: 'a merge list of maps without a merge key is replaced',
      schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-strategy': 'merge' } } },
      original: { items: [{ a: 1 }] },
      patch: { items: [{ b: 2 }] },
      want: { items: [{ b: 2 }] },
    },
  ])('$name', ({ schema: s, original, patch, want }) => {
    expect(strategicMergePatch(deepFreeze(original), deepFreeze(patch), s)).toEqual(want);
  });
});

describe('strategicMergePatch: errors', () => {
  it.each<{ name: string; patch: unknown; code: number; fragment: string }>([
    { name: 'a patch that is not an object', patch: [], code: 400, fragment: 'must be a JSON object' },
    {
      name: 'an item without its merge key',
      patch: pod({ containers: [{ image: 'x' }] }),
      code: 422,
      fragment: 'at spec.template.spec.containers[0]: map {"image":"x"} does not contain declared merge key: name',
    },
    { name: 'an unknown $patch', patch: { metadata: { $patch: 'frob' } }, code: 422, fragment: 'unknown $patch directive "frob"' },
    { name: 'a $setElementOrder that is not a list', patch: pod({ '$setElementOrder/containers': 'x' }), code: 422, fragment: 'must be a list' },
    {
      name: 'a $setElementOrder entry without the merge key',
      patch: pod({ '$setElementOrder/containers': [{ image: 'x' }] }),
      code: 422,
      fragment: 'entries must be maps with the merge key "name"',
    },
    { name: '$retainKeys missing a patched field', patch: { spec: { strategy: { $retainKeys: [], type: 'Recreate' } } }, code: 422, fragment: '"type" is missing' },
    { name: '$retainKeys not strings', patch: { spec: { strategy: { $retainKeys: [1] } } }, code: 422, fragment: 'must be a list of strings' },
    { name: 'a map in a merge list of primitives', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': [{}] } }, code: 422, fragment: 'only primitive values' },
  ])('$name', ({ patch, code, fragment }) => {
    const original = { metadata: { finalizers: ['a'] }, ...pod({ containers: [{ name: 'app' }] }) };
    const err = apiErrorOf(() => strategicMergePatch(original, patch, schema));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });
});
