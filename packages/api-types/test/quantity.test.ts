// Quantities: parsing, exact milli-values and comparisons, canonical formatting.
import { describe, expect, it } from 'vitest';
import {
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  isValidQuantity,
  parseQuantity,
  QUANTITY_PATTERN,
  quantityMilliValue,
  quantityValue,
  tryParseQuantity,
  type QuantityFormat,
} from '../src/index.js';

const patternRe = new RegExp(QUANTITY_PATTERN);

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    ['100m', 0.1],
    ['0.5', 0.5],
    ['1', 1],
    ['0', 0],
    ['128Mi', 134217728],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1E3', 1000],
    ['12e+2', 1200],
    ['1e-3', 0.001],
    ['2Ki', 2048],
    ['1.5Gi', 1610612736],
    ['500u', 0.0005],
    ['10n', 1e-8],
    ['1k', 1000],
    ['250M', 2.5e8],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['+1', 1],
    ['-1', -1],
    ['.5', 0.5],
    ['5.', 5],
    ['1.1', 1.1],
    ['0.1', 0.1],
    [0.25, 0.25],
    [3, 3],
    [1e21, 1e21],
  ])('%s is %d', (q, want) => {
    expect(parseQuantity(q)).toBe(want);
    expect(isValidQuantity(q)).toBe(true);
    if (typeof q === 'string') expect(patternRe.test(q)).toBe(true);
  });

  it.each<[unknown]>([[''], ['abc'], ['1.2.3'], ['1KB'], ['1 Mi'], ['Mi'], ['.'], ['1ki'], ['--1'], ['1e'], ['e3'], ['1Mi1'], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [{}]])(
    '%j is invalid',
    (q) => {
      expect(isValidQuantity(q)).toBe(false);
      if (typeof q === 'string') {
        expect(patternRe.test(q)).toBe(false);
        expect(() => parseQuantity(q)).toThrow(RangeError);
        expect(tryParseQuantity(q)).toBeUndefined();
      }
    },
  );
});

describe('exact values', () => {
  it.each<[string | number, number]>([
    ['100m', 100],
    ['0.1', 100],
    ['1', 1000],
    ['1.5', 1500],
    ['250m', 250],
    [2, 2000],
    ['0.0001', 1],
    ['1n', 1],
    ['1Ki', 1024000],
  ])('milli value of %s is %d', (q, want) => expect(quantityMilliValue(q)).toBe(want));

  it.each<[string | number, number]>([
    ['1Mi', 1048576],
    ['1.5', 2],
    ['100m', 1],
    ['1G', 1e9],
    ['-1.5', -1],
  ])('value of %s is %d', (q, want) => expect(quantityValue(q)).toBe(want));

  it.each<[string | number, string | number, number]>([
    ['1', '1000m', 0],
    ['500m', '0.5', 0],
    ['1Gi', '1G', 1],
    ['128Mi', '134217728', 0],
    ['100m', 0.2, -1],
    ['1e3', '1k', 0],
    ['0.1', '100m', 0],
    ['1n', 0, 1],
  ])('compare(%s, %s) is %d', (a, b, want) => expect(compareQuantities(a, b)).toBe(want));
});

describe('formatting', () => {
  it.each<[number, QuantityFormat, string]>([
    [0.1, 'DecimalSI', '100m'],
    [1000, 'DecimalSI', '1k'],
    [1500, 'DecimalSI', '1500'],
    [1e9, 'DecimalSI', '1G'],
    [1.5e9, 'DecimalSI', '1500M'],
    [0, 'DecimalSI', '0'],
    [1e-10, 'DecimalSI', '1n'],
    [0.0005, 'DecimalSI', '500u'],
    [12345, 'DecimalSI', '12345'],
    [1e21, 'DecimalSI', '1000E'],
    [134217728, 'BinarySI', '128Mi'],
    [2 ** 30, 'BinarySI', '1Gi'],
    [1536, 'BinarySI', '1536'],
    [512, 'BinarySI', '512'],
    [0.5, 'BinarySI', '500m'],
    [-2048, 'BinarySI', '-2Ki'],
    [1000, 'DecimalExponent', '1e3'],
    [0.001, 'DecimalExponent', '1e-3'],
  ])('%d as %s is %s', (n, format, want) => {
    expect(formatQuantity(n, format)).toBe(want);
    expect(parseQuantity(want)).toBe(n === 1e-10 ? 1e-9 : n);
  });

  it.each<[string | number, string]>([
    ['1024Mi', '1Gi'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['1e3', '1e3'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['2000k', '2M'],
    [0.25, '250m'],
  ])('canonical form of %s is %s', (q, want) => expect(canonicalQuantity(q)).toBe(want));
});
