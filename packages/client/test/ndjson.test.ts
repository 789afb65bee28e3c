import { describe, expect, it } from 'vitest';
import { isApiError } from '@kite/apimachinery';
import { NdjsonDecoder, NdjsonError, decodeNdjson } from '../src/watch/ndjson.js';
import { toWatchEvent } from '../src/watch/watch.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Splits `bytes` at the given offsets. */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  return out;
}

function decodeAll(chunks: (Uint8Array | string)[]): unknown[] {
  const d = new NdjsonDecoder();
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()];
}

const twoEvents = '{"type":"ADDED","object":{"n":1}}\n{"type":"MODIFIED","object":{"n":2}}\n';
const unicode = '{"s":"héllo ✓ 😀"}\n';

describe('NdjsonDecoder', () => {
  it.each([
    { name: 'one chunk', chunks: [enc(twoEvents)], want: [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }] },
    { name: 'split inside a value', chunks: splitAt(enc(twoEvents), [10, 40]), want: [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }] },
    { name: 'split right after the newline', chunks: splitAt(enc(twoEvents), [35]), want: [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }] },
    { name: 'one byte at a time', chunks: splitAt(enc(twoEvents), [...Array(twoEvents.length).keys()].slice(1)), want: [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }] },
    { name: 'split inside a multi-byte character', chunks: splitAt(enc(unicode), [9, 10, 16, 18]), want: [{ s: 'héllo ✓ 😀' }] },
    { name: 'CRLF line ends', chunks: [enc('{"a":1}\r\n{"a":2}\r'), enc('\n')], want: [{ a: 1 }, { a: 2 }] },
    { name: 'blank lines are skipped', chunks: [enc('\n\n{"a":1}\n  \n\n')], want: [{ a: 1 }] },
    { name: 'last line without newline', chunks: [enc('{"a":1}\n{"a"'), enc(':2}')], want: [{ a: 1 }, { a: 2 }] },
    { name: 'string chunks', chunks: ['{"a":', '1}\n'], want: [{ a: 1 }] },
    { name: 'empty stream', chunks: [], want: [] },
  ])('$name', ({ chunks, want }) => {
    expect(decodeAll(chunks)).toEqual(want);
  });

  it.each([
    { name: 'invalid JSON line', chunks: ['{"a":1}\n', 'not json\n'] },
    { name: 'invalid trailing line', chunks: ['{"a":'] },
  ])('throws NdjsonError for $name', ({ chunks }) => {
    expect(() => decodeAll(chunks)).toThrow(NdjsonError);
  });

  it('refuses a line longer than maxLineBytes', () => {
    const d = new NdjsonDecoder({ maxLineBytes: 10 });
    expect(d.push('{"a":1}\n')).toEqual([{ a: 1 }]);
    expect(() => d.push('{"long":"xxxxxxxxxx')).toThrow(/longer than 10/);
  });

  it('decodes an async byte stream', async () => {
    async function* source() {
      yield* splitAt(enc(twoEvents), [3, 50]);
    }
    const got: unknown[] = [];
    for await (const v of decodeNdjson(source())) got.push(v);
    expect(got).toHaveLength(2);
  });
});

describe('toWatchEvent', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', resourceVersion: '5' } };
  it.each([
    { name: 'ADDED', value: { type: 'ADDED', object: pod }, want: { type: 'ADDED', object: pod } },
    { name: 'MODIFIED', value: { type: 'MODIFIED', object: pod }, want: { type: 'MODIFIED', object: pod } },
    { name: 'DELETED', value: { type: 'DELETED', object: pod }, want: { type: 'DELETED', object: pod } },
    {
      name: 'BOOKMARK',
      value: { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '9' } } },
      want: { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '9' } } },
    },
  ])('accepts $name', ({ value, want }) => {
    expect(toWatchEvent(value)).toEqual(want);
  });

  const expired = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', message: 'too old resource version: 1 (70)', code: 410 };
  it.each([
    { name: 'ERROR with a 410 Status', value: { type: 'ERROR', object: expired }, code: 410 },
    { name: 'ERROR with something else', value: { type: 'ERROR', object: { oops: true } }, code: 500 },
    { name: 'unknown type', value: { type: 'RENAMED', object: pod }, code: 500 },
    { name: 'no object', value: { type: 'ADDED' }, code: 500 },
    { name: 'not an object', value: 42, code: 500 },
  ])('throws an ApiError for $name', ({ value, code }) => {
    let caught: unknown;
    try {
      toWatchEvent(value);
    } catch (err) {
      caught = err;
    }
    expect(isApiError(caught) && caught.code).toBe(code);
  });
});
