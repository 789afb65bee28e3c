import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../src/index.js';
import { deepFreeze, touchEverything } from './helpers.js';

describe('applyMergePatch (RFC 7396)', () => {
  // The first rows are the examples of RFC 7396, appendix A.
  it.each([
    { original: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { original: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { original: { a: 'b' }, patch: { a: null }, want: {} },
    { original: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
    { original: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
    { original: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
    { original: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
    { original: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
    { original: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
    { original: { a: 'b' }, patch: ['c'], want: ['c'] },
    { original: { a: 'foo' }, patch: null, want: null },
    { original: { a: 'foo' }, patch: 'bar', want: 'bar' },
    { original: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
    { original: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
    { original: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
    // Kubernetes-shaped: scale, relabel, drop an annotation.
    {
      original: { metadata: { labels: { app: 'web' }, annotations: { note: 'x' } }, spec: { replicas: 1 } },
      patch: { metadata: { labels: { tier: 'fe' }, annotations: { note: null } }, spec: { replicas: 3 } },
      want: { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: {} }, spec: { replicas: 3 } },
    },
  ])('$original + $patch', ({ original, patch, want }) => {
    const result = applyMergePatch(deepFreeze(original), deepFreeze(patch));
    expect(result).toEqual(want);
    touchEverything(result);
  });

  it('treats a "__proto__" key as data', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "b": 1}') as unknown;
    const result = applyMergePatch({ a: 1 }, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'a', 'b']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
