// Label selector matching and printing, and int-or-percent budgets.
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, isIntOrPercent, labelSelectorMatches, scaledValueFromIntOrPercent, type LabelSelector } from '../src/index.js';

const web = { app: 'web', tier: 'frontend', env: 'prod' };

describe('labelSelectorMatches', () => {
  it.each<[string, LabelSelector | undefined, Record<string, string> | undefined, boolean]>([
    ['absent selector matches nothing', undefined, web, false],
    ['empty selector matches everything', {}, web, true],
    ['empty selector matches no labels', {}, undefined, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, web, true],
    ['matchLabels differ', { matchLabels: { app: 'db' } }, web, false],
    ['matchLabels missing key', { matchLabels: { zone: 'a' } }, web, false],
    ['In', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }, web, true],
    ['In other value', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, web, false],
    ['In missing key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, web, false],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, web, true],
    ['NotIn listed value', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, web, false],
    ['NotIn missing key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, web, true],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, web, true],
    ['Exists missing', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, web, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, web, true],
    ['DoesNotExist present', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, web, false],
    ['all requirements ANDed', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, web, false],
    ['no labels', { matchLabels: { app: 'web' } }, undefined, false],
  ])('%s', (_name, selector, labels, want) => {
    expect(labelSelectorMatches(selector, labels)).toBe(want);
  });
});

describe('formatLabelSelector', () => {
  it.each<[LabelSelector, string]>([
    [{}, ''],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [
      {
        matchLabels: { tier: 'fe', app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'team', operator: 'Exists' },
        ],
      },
      '!canary,app=web,env in (dev,prod),team,tier=fe,zone notin (b)',
    ],
  ])('%j', (selector, want) => expect(formatLabelSelector(selector)).toBe(want));
});

describe('int-or-percent', () => {
  it.each<[number | string, number, boolean, number]>([
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['100%', 3, false, 3],
    ['0%', 5, true, 0],
    [2, 10, true, 2],
    ['50%', 1, true, 1],
    ['50%', 1, false, 0],
  ])('%s of %d (round up %s) is %d', (v, total, up, want) => expect(scaledValueFromIntOrPercent(v, total, up)).toBe(want));

  it.each<[number | string, boolean]>([
    [0, true],
    [3, true],
    ['25%', true],
    ['5', false],
    ['x%', false],
    [-1, false],
    [1.5, false],
  ])('isIntOrPercent(%j) is %s', (v, want) => expect(isIntOrPercent(v)).toBe(want));
});
