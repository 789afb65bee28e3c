// Table tests of the Wasm runtime's pure pieces: the memory-limit rewrite, CRI log records,
// CGI output parsing and image reference resolution.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CriLogWriter, MAX_LINE_BYTES, parseCriLog } from '@kite/cri';
import { isLoopbackHost, resolveImageRef } from '@kite/cri';
import { imposeMemoryLimit, InitialMemoryExceedsLimit, WASM_PAGE_BYTES } from '@kite/cri';
import { parseCgiOutput } from '../../src/runtime/wasm/worker/cgi.js';
import { removeTempDirs, tempDir } from './helpers.js';

/** (module (memory (export "memory") 1)) */
const DEFINED_MEMORY = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, ...Buffer.from('memory'), 2, 0]);
/** (module (import "env" "memory" (memory 1))) */
const IMPORTED_MEMORY = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 15, 1, 3, ...Buffer.from('env'), 6, ...Buffer.from('memory'), 2, 0, 1]);

afterAll(() => removeTempDirs());

describe('imposeMemoryLimit', () => {
  it.each([
    { name: '1 page', limit: WASM_PAGE_BYTES, grows: [[1, false]] },
    { name: '4 pages', limit: 4 * WASM_PAGE_BYTES, grows: [[3, true], [1, false]] },
    { name: 'a limit that is not a whole page rounds down', limit: 2.5 * WASM_PAGE_BYTES, grows: [[1, true], [1, false]] },
  ] as Array<{ name: string; limit: number; grows: Array<[number, boolean]> }>)('caps a defined memory: $name', ({ limit, grows }) => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(imposeMemoryLimit(DEFINED_MEMORY, limit)));
    const memory = instance.exports.memory as WebAssembly.Memory;
    for (const [pages, ok] of grows) {
      if (ok) memory.grow(pages);
      else expect(() => memory.grow(pages)).toThrow(RangeError);
    }
  });

  it.each([
    { name: 'a memory within the cap links', provided: { initial: 1, maximum: 2 }, links: true },
    { name: 'a memory allowed to grow past the cap does not', provided: { initial: 1, maximum: 5 }, links: false },
    { name: 'an unbounded memory does not', provided: { initial: 1 }, links: false },
  ])('caps an imported memory: $name', ({ provided, links }) => {
    const module = new WebAssembly.Module(imposeMemoryLimit(IMPORTED_MEMORY, 2 * WASM_PAGE_BYTES));
    const link = () => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory(provided) } });
    if (links) link();
    else expect(link).toThrow(WebAssembly.LinkError);
  });

  it('refuses a limit below the initial memory', () => {
    expect(() => imposeMemoryLimit(DEFINED_MEMORY, WASM_PAGE_BYTES - 1)).toThrow(InitialMemoryExceedsLimit);
  });
});

describe('CriLogWriter', () => {
  it.each([
    { name: 'full lines', writes: [['stdout', 'a\nb\n']], want: [['stdout', 'a', 'F'], ['stdout', 'b', 'F']] },
    { name: 'a line split across writes', writes: [['stdout', 'he'], ['stdout', 'llo\n']], want: [['stdout', 'hello', 'F']] },
    { name: 'an unterminated last line is flushed on close', writes: [['stderr', 'tail']], want: [['stderr', 'tail', 'F']] },
    { name: 'streams kept apart', writes: [['stdout', 'o'], ['stderr', 'e\n'], ['stdout', 'ut\n']], want: [['stderr', 'e', 'F'], ['stdout', 'out', 'F']] },
    { name: 'an empty line', writes: [['stdout', '\n']], want: [['stdout', '', 'F']] },
  ] as Array<{ name: string; writes: Array<['stdout' | 'stderr', string]>; want: string[][] }>)('$name', ({ writes, want }) => {
    const path = join(tempDir('cri'), 'c.log');
    const writer = new CriLogWriter(path);
    for (const [stream, text] of writes) writer.write(stream, Buffer.from(text));
    writer.close();
    const records = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => line.split(' '));
    expect(records.map(([, stream, tag, ...rest]) => [stream, rest.join(' '), tag])).toEqual(want);
  });

  it('cuts long lines into P pieces that parse back into one line', () => {
    const path = join(tempDir('cri'), 'c.log');
    const writer = new CriLogWriter(path);
    const long = 'x'.repeat(MAX_LINE_BYTES * 2 + 10);
    writer.write('stdout', Buffer.from(`${long}\n`));
    writer.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n').filter(Boolean).map((l) => l.split(' ')[2])).toEqual(['P', 'P', 'F']);
    expect(parseCriLog(text)).toEqual([expect.objectContaining({ stream: 'stdout', line: long })]);
  });
});

describe('parseCgiOutput', () => {
  it.each([
    { name: 'default status', out: 'content-type: text/plain\n\nhi', status: 200, body: 'hi' },
    { name: 'status header', out: 'status: 404 Not Found\ncontent-type: text/plain\n\nnope', status: 404, body: 'nope' },
    { name: 'location means redirect', out: 'location: /elsewhere\n\n', status: 302, body: '' },
    { name: 'CRLF headers', out: 'content-type: text/plain\r\n\r\nbody', status: 200, body: 'body' },
  ])('$name', ({ out, status, body }) => {
    const parsed = parseCgiOutput(Buffer.from(out));
    expect(parsed?.status).toBe(status);
    expect(parsed?.body.toString()).toBe(body);
    expect(parsed?.headers.some(([k]) => k.toLowerCase() === 'status')).toBe(false);
  });

  it('rejects output without a header block', () => {
    expect(parseCgiOutput(Buffer.from('just text'))).toBeUndefined();
  });
});

describe('image references', () => {
  it.each([
    { host: '127.0.0.1', want: true },
    { host: '127.255.3.4', want: true },
    { host: 'localhost', want: true },
    { host: '[::1]', want: true },
    { host: '128.0.0.1', want: false },
    { host: '10.0.0.1', want: false },
    { host: '127.0.0.256', want: false },
    { host: 'example.com', want: false },
  ])('loopback host $host: $want', ({ host, want }) => {
    expect(isLoopbackHost(host)).toBe(want);
  });

  it('finds relative references in the first search path entry that has them', () => {
    const [a, b] = [tempDir('sp-a'), tempDir('sp-b')];
    expect(() => resolveImageRef('x.wasm', [a, b])).toThrow(/not found/);
    for (const dir of [b, a]) writeFileSync(join(dir, 'x.wasm'), '');
    expect(resolveImageRef('x.wasm', [a, b])).toEqual({ kind: 'file', path: join(a, 'x.wasm') });
  });
});
