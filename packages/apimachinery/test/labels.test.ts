import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '@kite/api-types';
import {
  everything,
  isApiError,
  labelSelectorToString,
  nothing,
  parseSelector,
  requirement,
  selectorFromLabelSelector,
  selectorFromSet,
} from '../src/index.js';

const web = { app: 'web', tier: 'frontend', replicas: '3' };
const db = { app: 'db', tier: 'backend' };
const bare = {};

describe('parseSelector: canonical form', () => {
  it.each([
    { input: '', want: '' },
    { input: '   ', want: '' },
    { input: 'a=b', want: 'a=b' },
    { input: 'a==b', want: 'a=b' },
    { input: 'a!=b', want: 'a!=b' },
    { input: 'a=', want: 'a=' },
    { input: 'a==', want: 'a=' },
    { input: 'a in (y,x,y)', want: 'a in (x,y)' },
    { input: 'a notin (x)', want: 'a notin (x)' },
    { input: 'a', want: 'a' },
    { input: '!a', want: '!a' },
    { input: 'a>1', want: 'a>1' },
    { input: 'a < 2', want: 'a<2' },
    { input: ' z = 1 ,  a in ( x , y ) , ! b ', want: 'a in (x,y),!b,z=1' },
    { input: 'example.com/app=web', want: 'example.com/app=web' },
    { input: 'a in (x,)', want: 'a in (,x)' },
    { input: 'in in (in)', want: 'in in (in)' },
    { input: 'a=b,a!=c', want: 'a!=c,a=b' },
  ])('$input → $want', ({ input, want }) => {
    expect(parseSelector(input).toString()).toBe(want);
  });
});

describe('parseSelector: matching', () => {
  it.each([
    { selector: '', labels: bare, want: true },
    { selector: 'app=web', labels: web, want: true },
    { selector: 'app==web', labels: db, want: false },
    { selector: 'app!=web', labels: db, want: true },
    { selector: 'app!=web', labels: bare, want: true },
    { selector: 'app in (web,db)', labels: db, want: true },
    { selector: 'app in (web)', labels: bare, want: false },
    { selector: 'app notin (web)', labels: db, want: true },
    { selector: 'app notin (web)', labels: bare, want: true },
    { selector: 'app notin (web)', labels: web, want: false },
    { selector: 'tier', labels: db, want: true },
    { selector: 'tier', labels: bare, want: false },
    { selector: '!tier', labels: bare, want: true },
    { selector: '!tier', labels: web, want: false },
    { selector: 'replicas>2', labels: web, want: true },
    { selector: 'replicas>3', labels: web, want: false },
    { selector: 'replicas<4', labels: web, want: true },
    { selector: 'tier>1', labels: web, want: false },
    { selector: 'replicas>1', labels: bare, want: false },
    { selector: 'app=web,tier=frontend', labels: web, want: true },
    { selector: 'app=web,tier=backend', labels: web, want: false },
    { selector: 'app=', labels: { app: '' }, want: true },
  ])('$selector on $labels → $want', ({ selector, labels, want }) => {
    expect(parseSelector(selector).matches(labels)).toBe(want);
  });

  it('matches undefined labels like an empty set', () => {
    expect(parseSelector('!a').matches(undefined)).toBe(true);
    expect(parseSelector('a').matches(undefined)).toBe(false);
  });
});

describe('parseSelector: errors', () => {
  it.each([
    { input: 'a in (x', fragment: 'unbalanced parenthesis' },
    { input: 'a in x)', fragment: "found 'x' at position 5, expected '('" },
    { input: 'a in (x y)', fragment: "expected ',' or ')'" },
    { input: 'a=b)', fragment: "found ')' at position 3" },
    { input: 'a=b,', fragment: 'found end of selector at position 4, expected a label key' },
    { input: ',a', fragment: 'expected a label key' },
    { input: 'a b', fragment: 'expected an operator' },
    { input: 'a in ()', fragment: "values set can't be empty" },
    { input: 'a>b', fragment: 'must be an integer' },
    { input: 'a<-2', fragment: 'invalid label value "-2"' },
    { input: 'a=(b)', fragment: 'expected a label value' },
    { input: '-a=b', fragment: 'invalid label key "-a"' },
    { input: 'a/b/c=d', fragment: 'invalid label key "a/b/c"' },
    { input: `${'k'.repeat(64)}=v`, fragment: 'no more than 63 characters' },
    { input: 'a=-b', fragment: 'invalid label value "-b"' },
    { input: `a=${'v'.repeat(254)}`, fragment: 'no more than 253 characters' },
  ])('$input', ({ input, fragment }) => {
    let thrown: unknown;
    try {
      parseSelector(input);
    } catch (err) {
      thrown = err;
    }
    expect(isApiError(thrown)).toBe(true);
    if (!isApiError(thrown)) return;
    expect(thrown.code).toBe(400);
    expect(thrown.message).toContain(fragment);
  });

  it('accepts label values up to 253 characters (this project’s rule)', () => {
    expect(parseSelector(`a=${'v'.repeat(253)}`).matches({ a: 'v'.repeat(253) })).toBe(true);
  });
});

describe('Selector helpers', () => {
  it.each([
    { selector: 'app=web,tier in (a),x in (a,b),y!=z,w', want: [['app', 'web'], ['tier', 'a']] },
    { selector: '', want: [] },
    { selector: 'a notin (b)', want: [] },
  ])('equalities of $selector', ({ selector, want }) => {
    expect([...parseSelector(selector).equalities()]).toEqual(want);
  });

  it.each([
    { name: 'everything', sel: everything(), isEmpty: true, selectsNothing: false, matchesBare: true },
    { name: 'nothing', sel: nothing(), isEmpty: false, selectsNothing: true, matchesBare: false },
    { name: 'parsed', sel: parseSelector('!a'), isEmpty: false, selectsNothing: false, matchesBare: true },
  ])('$name', ({ sel, isEmpty, selectsNothing, matchesBare }) => {
    expect(sel.isEmpty()).toBe(isEmpty);
    expect(sel.selectsNothing()).toBe(selectsNothing);
    expect(sel.matches({})).toBe(matchesBare);
  });

  it('round-trips its canonical string', () => {
    const s = parseSelector('z notin (b,a), a>5, !c, d, e=f');
    expect(parseSelector(s.toString()).toString()).toBe(s.toString());
    expect(s.requirements.map((r) => r.key)).toEqual(['a', 'c', 'd', 'e', 'z']);
  });

  it('builds validated requirements', () => {
    expect(requirement('app', 'in', ['b', 'a', 'b']).values).toEqual(['a', 'b']);
    expect(() => requirement('bad key', '=', ['x'])).toThrow(/invalid label key/);
  });
});

describe('selectorFromLabelSelector', () => {
  it.each<{ name: string; obj: LabelSelector | null | undefined; want: string; matches: Record<string, string>[]; misses: Record<string, string>[] }>([
    { name: 'null selects nothing', obj: null, want: '', matches: [], misses: [web, bare] },
    { name: 'undefined selects nothing', obj: undefined, want: '', matches: [], misses: [web, bare] },
    { name: 'empty selects everything', obj: {}, want: '', matches: [web, bare], misses: [] },
    { name: 'empty lists select everything', obj: { matchLabels: {}, matchExpressions: [] }, want: '', matches: [web], misses: [] },
    { name: 'matchLabels', obj: { matchLabels: { app: 'web' } }, want: 'app=web', matches: [web], misses: [db, bare] },
    {
      name: 'matchLabels and expressions',
      obj: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['frontend', 'a'] },
          { key: 'gone', operator: 'DoesNotExist' },
        ],
      },
      want: 'app=web,!gone,tier in (a,frontend)',
      matches: [web],
      misses: [db],
    },
    {
      name: 'NotIn and Exists',
      obj: {
        matchExpressions: [
          { key: 'app', operator: 'NotIn', values: ['web'] },
          { key: 'tier', operator: 'Exists' },
        ],
      },
      want: 'app notin (web),tier',
      matches: [db],
      misses: [web, bare],
    },
  ])('$name', ({ obj, want, matches, misses }) => {
    const sel = selectorFromLabelSelector(obj);
    expect(sel.toString()).toBe(want);
    expect(labelSelectorToString(obj)).toBe(want);
    for (const labels of matches) expect(sel.matches(labels)).toBe(true);
    for (const labels of misses) expect(sel.matches(labels)).toBe(false);
  });

  it.each<{ name: string; obj: LabelSelector; fragment: string }>([
    { name: 'In without values', obj: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, fragment: "values set can't be empty" },
    { name: 'Exists with values', obj: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, fragment: 'values set must be empty' },
    { name: 'unknown operator', obj: JSON.parse('{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}') as LabelSelector, fragment: '"Gt" is not a valid label selector operator' },
    { name: 'bad label value', obj: { matchLabels: { a: 'no spaces' } }, fragment: 'invalid label value' },
  ])('rejects $name', ({ obj, fragment }) => {
    expect(() => selectorFromLabelSelector(obj)).toThrow(fragment);
  });
});

describe('selectorFromSet', () => {
  it.each<{ set: Record<string, string> | undefined; want: string; labels: Record<string, string>; matches: boolean }>([
    { set: { b: '2', a: '1' }, want: 'a=1,b=2', labels: { a: '1', b: '2', c: '3' }, matches: true },
    { set: {}, want: '', labels: {}, matches: true },
    { set: undefined, want: '', labels: { a: '1' }, matches: true },
    { set: { a: '1' }, want: 'a=1', labels: { a: '2' }, matches: false },
  ])('$set', ({ set, want, labels, matches }) => {
    const sel = selectorFromSet(set);
    expect(sel.toString()).toBe(want);
    expect(sel.matches(labels)).toBe(matches);
  });
});
