import { describe, expect, it } from 'vitest';
import { queryBool } from '../src/query.js';

describe('queryBool (Go strconv.ParseBool)', () => {
  it('accepts every spelling of true Go does, and nothing else', () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(queryBool(v)).toBe(true);
    for (const v of ['0', 'false', 'False', 'yes', '', 'tRuE']) expect(queryBool(v)).toBe(false);
    expect(queryBool(undefined)).toBe(false);
    expect(queryBool(null)).toBe(false);
    expect(queryBool(['True', 'false'])).toBe(true);
  });
});
