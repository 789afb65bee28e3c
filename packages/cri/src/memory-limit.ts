// Imposes a container's memory limit on a core module by rewriting its memory limits.
// Why: Worker resourceLimits cap the JS heap, not Wasm linear memory, and V8 enforces a
// module's declared maximum. So before compiling we set every memory's maximum to
// min(declared maximum, limit); a guest that then grows past it sees memory.grow fail, and
// its allocator traps. A module whose *initial* memory exceeds the limit cannot start at all.
//
// Worked example: limit 64 MiB = 67,108,864 bytes = 1024 pages of 64 KiB. A module declaring
// (memory 1) gets (memory 1 1024); one declaring (memory 1 100) keeps 100; (memory 2000) fails.

export const WASM_PAGE_BYTES = 65_536;

/** The module cannot run within the limit (its initial memory is larger). */
export class InitialMemoryExceedsLimit extends Error {}

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const IMPORT_KIND_TABLE = 1;
const IMPORT_KIND_MEMORY = 2;
const IMPORT_KIND_GLOBAL = 3;
const IMPORT_KIND_TAG = 4;

class Reader {
  offset: number;
  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.offset = offset;
  }
  byte(): number {
    const value = this.bytes[this.offset++];
    if (value === undefined) throw new Error('truncated WebAssembly module');
    return value;
  }
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new Error('malformed LEB128 in WebAssembly module');
  }
  skip(count: number): void {
    this.offset += count;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let b = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) b |= 0x80;
    out.push(b);
  } while (rest > 0);
  return out;
}

/** Reads limits at the reader and returns them re-encoded with the maximum capped. */
function cappedLimits(reader: Reader, maxPages: number): number[] {
  const flags = reader.byte();
  if (flags > 0x03) throw new Error('memory64 modules are not supported');
  const initial = reader.u32();
  const declared = flags & 0x01 ? reader.u32() : undefined;
  if (initial > maxPages) {
    throw new InitialMemoryExceedsLimit(`initial memory ${initial * WASM_PAGE_BYTES} bytes exceeds the limit of ${maxPages * WASM_PAGE_BYTES} bytes`);
  }
  const maximum = declared === undefined ? maxPages : Math.min(declared, maxPages);
  return [flags | 0x01, ...leb(initial), ...leb(maximum)];
}

function rewriteMemorySection(content: Uint8Array, maxPages: number): number[] {
  const reader = new Reader(content);
  const count = reader.u32();
  const out = leb(count);
  for (let i = 0; i < count; i++) out.push(...cappedLimits(reader, maxPages));
  return out;
}

function rewriteImportSection(content: Uint8Array, maxPages: number): number[] {
  const reader = new Reader(content);
  const count = reader.u32();
  const out = leb(count);
  for (let i = 0; i < count; i++) {
    const start = reader.offset;
    reader.skip(reader.u32()); // module name
    reader.skip(reader.u32()); // field name
    const kind = reader.byte();
    out.push(...content.subarray(start, reader.offset));
    if (kind === IMPORT_KIND_MEMORY) {
      out.push(...cappedLimits(reader, maxPages));
      continue;
    }
    const rest = reader.offset;
    if (kind === IMPORT_KIND_TABLE) {
      reader.byte();
      const flags = reader.byte();
      reader.u32();
      if (flags & 0x01) reader.u32();
    } else if (kind === IMPORT_KIND_GLOBAL) {
      reader.skip(2);
    } else if (kind === IMPORT_KIND_TAG) {
      reader.byte();
      reader.u32();
    } else {
      reader.u32();
    }
    out.push(...content.subarray(rest, reader.offset));
  }
  return out;
}

/** Returns a copy of core module `bytes` whose memories cannot grow beyond `limitBytes`. */
export function imposeMemoryLimit(bytes: Uint8Array, limitBytes: number): Uint8Array {
  const maxPages = Math.max(0, Math.floor(limitBytes / WASM_PAGE_BYTES));
  const reader = new Reader(bytes, 8);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const content = bytes.subarray(reader.offset, reader.offset + size);
    reader.skip(size);
    if (id !== SECTION_MEMORY && id !== SECTION_IMPORT) {
      parts.push(Uint8Array.from([id, ...leb(size)]), content);
      continue;
    }
    const rewritten = id === SECTION_MEMORY ? rewriteMemorySection(content, maxPages) : rewriteImportSection(content, maxPages);
    parts.push(Uint8Array.from([id, ...leb(rewritten.length), ...rewritten]));
  }
  return Buffer.concat(parts);
}
