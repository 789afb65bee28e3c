import { describe, expect, it } from 'vitest';
import { applyPatch, applyPatchByContentType, patchTypeOf, PATCH_CONTENT_TYPES, type JsonSchema } from '../src/index.js';
import { apiErrorOf, deepFreeze, touchEverything } from './helpers.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        containers: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      },
    },
  },
};

const live = () =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', resourceVersion: '7', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'v1' }, { name: 'side', image: 's' }], nodeName: 'n1' },
  });

describe('applyPatch (server-side apply, simplified)', () => {
  it.each<{ name: string; live: unknown; applied: Record<string, unknown>; want: unknown }>([
    {
      name: 'no live object: the applied object is created',
      live: undefined,
      applied: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: null } }, spec: { containers: [{ name: 'app' }] } },
      want: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: {} }, spec: { containers: [{ name: 'app' }] } },
    },
    {
      name: 'omitted fields are kept, set fields win, lists merge by key',
      live: live(),
      applied: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { tier: 'fe' } }, spec: { containers: [{ name: 'app', image: 'v2' }] } },
      want: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', resourceVersion: '7', labels: { app: 'web', tier: 'fe' } },
        spec: { containers: [{ name: 'app', image: 'v2' }, { name: 'side', image: 's' }], nodeName: 'n1' },
      },
    },
  ])('$name', ({ live: l, applied, want }) => {
    const result = applyPatch(l, deepFreeze(applied), schema);
    expect(result).toEqual(want);
    touchEverything(result);
  });

  it.each([
    { name: 'a body that is not an object', applied: ['x'], fragment: 'must be a JSON or YAML object' },
    { name: 'another kind', applied: { apiVersion: 'v1', kind: 'Service' }, fragment: 'kind "Service" does not match the object\'s "Pod"' },
  ])('rejects $name with 400', ({ applied, fragment }) => {
    const err = apiErrorOf(() => applyPatch(live(), applied, schema));
    expect(err.code).toBe(400);
    expect(err.message).toContain(fragment);
  });
});

describe('applyPatchByContentType', () => {
  it.each<{ contentType: string; body: unknown; want: (l: ReturnType<typeof live>) => unknown }>([
    {
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/nodeName', value: 'n2' }],
      want: (l) => ({ ...l, spec: { ...l.spec, nodeName: 'n2' } }),
    },
    {
      contentType: 'application/merge-patch+json; charset=utf-8',
      body: { spec: { containers: [{ name: 'x' }] } },
      want: (l) => ({ ...l, spec: { ...l.spec, containers: [{ name: 'x' }] } }),
    },
    {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'x' }] } },
      want: (l) => ({ ...l, spec: { ...l.spec, containers: [...l.spec.containers, { name: 'x' }] } }),
    },
    {
      contentType: 'Application/Apply-Patch+YAML',
      body: { metadata: { labels: { app: null } } },
      want: (l) => ({ ...l, metadata: { ...l.metadata, labels: {} } }),
    },
    {
      contentType: 'application/apply-patch+json',
      body: { spec: { nodeName: 'n3' } },
      want: (l) => ({ ...l, spec: { ...l.spec, nodeName: 'n3' } }),
    },
  ])('$contentType', ({ contentType, body, want }) => {
    const original = live();
    expect(applyPatchByContentType(contentType, original, deepFreeze(body), schema)).toEqual(want(original));
  });

  it('creates on apply when there is no live object', () => {
    expect(applyPatchByContentType('application/apply-patch+yaml', undefined, { kind: 'Pod' }, schema)).toEqual({ kind: 'Pod' });
  });

  it.each([
    {
      name: 'an unsupported content type',
      contentType: 'application/json',
      body: {},
      code: 415,
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml, application/apply-patch+json',
    },
    { name: 'no content type', contentType: undefined, body: {}, code: 415, message: 'the body of the request was in an unknown format' },
    { name: 'a merge patch that is not an object', contentType: 'application/merge-patch+json', body: ['x'], code: 400, message: 'the body of a merge patch must be a JSON object' },
    { name: 'a strategic patch that is not an object', contentType: 'application/strategic-merge-patch+json', body: 3, code: 400, message: 'must be a JSON object' },
    { name: 'a JSON patch that is not an array', contentType: 'application/json-patch+json', body: {}, code: 400, message: 'must be an array of operations' },
    {
      name: 'a JSON patch that replaces the object with a string',
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '', value: 'x' }],
      code: 422,
      message: 'the patched object must be a JSON object',
    },
  ])('rejects $name', ({ contentType, body, code, message }) => {
    const err = apiErrorOf(() => applyPatchByContentType(contentType, live(), body, schema));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
  });

  it.each([
    { contentType: 'application/json-patch+json', want: 'json' },
    { contentType: 'application/merge-patch+json', want: 'merge' },
    { contentType: 'application/strategic-merge-patch+json', want: 'strategic' },
    { contentType: 'application/apply-patch+yaml', want: 'apply' },
  ])('patchTypeOf($contentType) = $want', ({ contentType, want }) => {
    expect(patchTypeOf(contentType)).toBe(want);
    expect(PATCH_CONTENT_TYPES).toContain(contentType);
  });
});
