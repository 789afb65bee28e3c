// Completion index sets: the "0-3,7" notation of status.completedIndexes / failedIndexes.
import { describe, expect, it } from 'vitest';
import { firstFreeIndexes, formatIndexes, parseIndexes } from '../../../src/job/indexes.js';

describe('index sets', () => {
  it.each([
    { text: '', limit: 10, want: [] },
    { text: '0', limit: 10, want: [0] },
    { text: '0-3,7', limit: 10, want: [0, 1, 2, 3, 7] },
    { text: '1,3-4,9-12', limit: 11, want: [1, 3, 4, 9, 10] },
    { text: 'x,2,-1,5-', limit: 10, want: [2] },
    { text: '8-9', limit: 5, want: [] },
  ])('parses $text (limit $limit)', ({ text, limit, want }) => {
    expect([...parseIndexes(text, limit)].sort((a, b) => a - b)).toEqual(want);
  });

  it.each([
    { set: [], want: '' },
    { set: [4], want: '4' },
    { set: [0, 1, 2, 3, 7], want: '0-3,7' },
    { set: [9, 10, 0, 7, 1, 3, 2], want: '0-3,7,9-10' },
    { set: [1, 3, 5], want: '1,3,5' },
  ])('formats $set as "$want"', ({ set, want }) => {
    expect(formatIndexes(new Set(set))).toBe(want);
    expect(formatIndexes(parseIndexes(want, 100))).toBe(want);
  });

  it.each([
    { count: 3, completions: 5, taken: [[0], [2]], want: [1, 3, 4] },
    { count: 2, completions: 5, taken: [[], []], want: [0, 1] },
    { count: 5, completions: 3, taken: [[1]], want: [0, 2] },
    { count: 1, completions: 2, taken: [[0, 1]], want: [] },
  ])('first $count free of $completions with $taken taken', ({ count, completions, taken, want }) => {
    expect(firstFreeIndexes(count, completions, ...taken.map((t) => new Set(t)))).toEqual(want);
  });
});
