import { describe, expect, it } from 'vitest';
import { escapeFieldValue, fieldSelectorFromRequirements, isApiError, parseFieldSelector, unsupportedField } from '../src/index.js';

const pod: Record<string, string> = {
  'metadata.name': 'web-1',
  'metadata.namespace': 'default',
  'spec.nodeName': 'node-1',
  'status.phase': 'Running',
  'metadata.annotations.x': 'a,b=c\\d',
};
const get = (field: string): string | undefined => pod[field];

describe('parseFieldSelector', () => {
  it.each([
    { input: '', requirements: [], canonical: '' },
    { input: 'metadata.name=web-1', requirements: [{ field: 'metadata.name', operator: '=', value: 'web-1' }], canonical: 'metadata.name=web-1' },
    { input: 'metadata.name==web-1', requirements: [{ field: 'metadata.name', operator: '=', value: 'web-1' }], canonical: 'metadata.name=web-1' },
    {
      input: 'status.phase!=Failed,spec.nodeName=node-1',
      requirements: [
        { field: 'status.phase', operator: '!=', value: 'Failed' },
        { field: 'spec.nodeName', operator: '=', value: 'node-1' },
      ],
      canonical: 'status.phase!=Failed,spec.nodeName=node-1',
    },
    { input: 'spec.nodeName=', requirements: [{ field: 'spec.nodeName', operator: '=', value: '' }], canonical: 'spec.nodeName=' },
    { input: 'a=x\\,y\\=z\\\\w', requirements: [{ field: 'a', operator: '=', value: 'x,y=z\\w' }], canonical: 'a=x\\,y\\=z\\\\w' },
    { input: ' metadata.name =a,,', requirements: [{ field: 'metadata.name', operator: '=', value: 'a' }], canonical: 'metadata.name=a' },
  ])('$input', ({ input, requirements, canonical }) => {
    const sel = parseFieldSelector(input);
    expect(sel.requirements).toEqual(requirements);
    expect(sel.toString()).toBe(canonical);
    expect(parseFieldSelector(sel.toString()).requirements).toEqual(requirements);
  });

  it.each([
    { input: 'metadata.name', fragment: 'expected field=value' },
    { input: '=x', fragment: 'missing field name' },
    { input: 'a=b=c', fragment: "unescaped '='" },
    { input: 'a!==b', fragment: "unescaped '='" },
    { input: 'a=b\\x', fragment: 'invalid escape sequence' },
    { input: 'a=b\\', fragment: 'invalid escape sequence' },
  ])('rejects $input', ({ input, fragment }) => {
    let thrown: unknown;
    try {
      parseFieldSelector(input);
    } catch (err) {
      thrown = err;
    }
    expect(isApiError(thrown) && thrown.code).toBe(400);
    expect(String(thrown)).toContain(fragment);
  });
});

describe('FieldSelector', () => {
  it.each([
    { selector: '', want: true },
    { selector: 'metadata.name=web-1', want: true },
    { selector: 'metadata.name=web-2', want: false },
    { selector: 'spec.nodeName=node-1,status.phase!=Failed', want: true },
    { selector: 'spec.nodeName=node-1,status.phase!=Running', want: false },
    { selector: 'spec.unknown=', want: true },
    { selector: 'spec.unknown!=', want: false },
    { selector: 'spec.unknown!=x', want: true },
    { selector: 'metadata.annotations.x=a\\,b\\=c\\\\d', want: true },
  ])('$selector matches → $want', ({ selector, want }) => {
    expect(parseFieldSelector(selector).matches(get)).toBe(want);
  });

  it.each([
    { selector: 'metadata.name=a,spec.nodeName!=b,metadata.name=c', fields: ['metadata.name', 'spec.nodeName'], equalities: [['metadata.name', 'c']] },
    { selector: '', fields: [], equalities: [] },
    { selector: 'spec.nodeName=n1', fields: ['spec.nodeName'], equalities: [['spec.nodeName', 'n1']] },
  ])('fields() and equalities() of $selector', ({ selector, fields, equalities }) => {
    const sel = parseFieldSelector(selector);
    expect(sel.fields()).toEqual(fields);
    expect([...sel.equalities()]).toEqual(equalities);
    expect(sel.isEmpty()).toBe(selector === '');
  });

  it.each([
    { value: 'plain', want: 'plain' },
    { value: 'a,b', want: 'a\\,b' },
    { value: 'a=b', want: 'a\\=b' },
    { value: 'a\\b', want: 'a\\\\b' },
  ])('escapeFieldValue($value)', ({ value, want }) => {
    expect(escapeFieldValue(value)).toBe(want);
  });

  it('builds a selector from requirements', () => {
    const sel = fieldSelectorFromRequirements([{ field: 'spec.nodeName', operator: '=', value: 'n,1' }]);
    expect(sel.toString()).toBe('spec.nodeName=n\\,1');
    expect(sel.matches((f) => (f === 'spec.nodeName' ? 'n,1' : undefined))).toBe(true);
  });

  it('words the unsupported-field error as Kubernetes does', () => {
    const err = unsupportedField('spec.foo');
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
  });
});
