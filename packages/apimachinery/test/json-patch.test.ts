import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../src/index.js';
import { apiErrorOf, deepFreeze, touchEverything } from './helpers.js';

const deployment = () =>
  deepFreeze({
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'v2' }] } } },
  });

describe('applyJsonPatch: success', () => {
  it.each<{ name: string; patch: unknown[]; want: (d: ReturnType<typeof deployment>) => unknown }>([
    { name: 'empty patch', patch: [], want: (d) => d },
    {
      name: 'replace a scalar',
      patch: [{ op: 'replace', path: '/spec/replicas', value: 5 }],
      want: (d) => ({ ...d, spec: { ...d.spec, replicas: 5 } }),
    },
    {
      name: 'add a label with an escaped key',
      patch: [{ op: 'add', path: '/metadata/labels/example.com~1tier', value: 'fe' }],
      want: (d) => ({ ...d, metadata: { ...d.metadata, labels: { app: 'web', 'example.com/tier': 'fe' } } }),
    },
    {
      name: 'test then replace (rollout undo)',
      patch: [
        { op: 'test', path: '/metadata/annotations/deployment.kubernetes.io~1revision', value: '2' },
        { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'app', image: 'v1' }] } } },
      ],
      want: (d) => ({ ...d, spec: { ...d.spec, template: { spec: { containers: [{ name: 'app', image: 'v1' }] } } } }),
    },
    {
      name: 'append to a list',
      patch: [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 's' } }],
      want: (d) => ({ ...d, spec: { ...d.spec, template: { spec: { containers: [{ name: 'app', image: 'v2' }, { name: 'side', image: 's' }] } } } }),
    },
    {
      name: 'remove, move and copy',
      patch: [
        { op: 'copy', from: '/metadata/name', path: '/metadata/labels/name' },
        { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/was' },
        { op: 'remove', path: '/metadata/annotations' },
      ],
      want: (d) => ({ ...d, metadata: { name: 'web', labels: { name: 'web', was: 'web' } } }),
    },
  ])('$name', ({ patch, want }) => {
    const original = deployment();
    const result = applyJsonPatch(original, deepFreeze(patch));
    expect(result).toEqual(want(original));
    touchEverything(result);
  });
});

describe('applyJsonPatch: failures', () => {
  it.each([
    { name: 'not an array', patch: { op: 'add' }, code: 400, fragment: 'must be an array of operations' },
    { name: 'an operation that is not an object', patch: ['x'], code: 400, fragment: 'operation 0 is not an object' },
    { name: 'unknown op', patch: [{ op: 'frobnicate', path: '/a' }], code: 400, fragment: 'unknown "op" "frobnicate"' },
    { name: 'path not a pointer', patch: [{ op: 'remove', path: 'spec' }], code: 400, fragment: 'needs a "path"' },
    { name: 'missing value', patch: [{ op: 'add', path: '/a' }], code: 400, fragment: '(add) needs a "value"' },
    { name: 'missing from', patch: [{ op: 'move', path: '/a' }], code: 400, fragment: '(move) needs a "from"' },
    { name: 'failing test', patch: [{ op: 'test', path: '/spec/replicas', value: 3 }], code: 422, fragment: 'json patch test operation 0 at "/spec/replicas" cannot be applied' },
    { name: 'remove a missing path', patch: [{ op: 'remove', path: '/spec/paused' }], code: 422, fragment: 'json patch remove operation 0 at "/spec/paused" cannot be applied: the path does not exist' },
    { name: 'replace a missing path', patch: [{ op: 'replace', path: '/status/x', value: 1 }], code: 422, fragment: 'replace operation 0 at "/status/x"' },
    { name: 'add under a missing parent', patch: [{ op: 'add', path: '/status/x/y', value: 1 }], code: 422, fragment: 'the parent of the path does not exist' },
    {
      name: 'move from a missing path',
      patch: [
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
        { op: 'move', from: '/nope', path: '/metadata/labels/z' },
      ],
      code: 422,
      fragment: 'move operation 1 from "/nope" to "/metadata/labels/z"',
    },
    { name: 'index out of bounds', patch: [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }], code: 422, fragment: 'out of bounds' },
  ])('$name → $code', ({ patch, code, fragment }) => {
    const original = deployment();
    const err = apiErrorOf(() => applyJsonPatch(original, patch));
    expect(err.code).toBe(code);
    expect(err.reason).toBe(code === 400 ? 'BadRequest' : 'Invalid');
    expect(err.message).toContain(fragment);
  });

  it('names the field of a failed operation in Kubernetes notation', () => {
    try {
      applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/template/spec/containers/0/image', value: 'v9' }]);
    } catch (err) {
      expect(err).toMatchObject({ status: { details: { causes: [{ field: 'spec.template.spec.containers[0].image' }] } } });
    }
    expect.assertions(1);
  });
});
