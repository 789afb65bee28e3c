// Newline-delimited JSON decoding for watch streams.
//
// Contract: `NdjsonDecoder.push(chunk)` accepts bytes (or text) exactly as they come off the wire,
// split anywhere — inside a JSON value, inside a multi-byte UTF-8 character, between `\r` and `\n` —
// and returns the values of every line completed by that chunk; `end()` returns the value of a
// final line that had no newline. Blank lines are skipped. A line that is not JSON throws an
// `NdjsonError` naming the line's start; a line longer than `maxLineBytes` throws too, so a
// misbehaving server cannot make the client buffer without bound.

/** Longest watch event line accepted: 64 MiB (Kubernetes caps a request body at 3 MiB). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export class NdjsonError extends Error {
  override readonly name = 'NdjsonError';
}

export class NdjsonDecoder {
  private readonly text = new TextDecoder('utf-8', { fatal: false });
  private buffer = '';
  private readonly maxLineBytes: number;

  constructor(opts: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  push(chunk: Uint8Array | string): unknown[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    const out: unknown[] = [];
    let start = 0;
    for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n', start)) {
      const value = parseLine(this.buffer.slice(start, nl));
      if (value !== undefined) out.push(value);
      start = nl + 1;
    }
    this.buffer = this.buffer.slice(start);
    // UTF-16 length bounds the UTF-8 byte length from below; good enough for a safety limit.
    if (this.buffer.length > this.maxLineBytes) {
      throw new NdjsonError(`watch line longer than ${this.maxLineBytes} bytes`);
    }
    return out;
  }

  end(): unknown[] {
    const rest = this.buffer + this.text.decode();
    this.buffer = '';
    const value = parseLine(rest);
    return value === undefined ? [] : [value];
  }
}

/** Parses one line; `undefined` for a blank line. */
function parseLine(line: string): unknown {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new NdjsonError(`invalid JSON in watch stream: ${trimmed.slice(0, 200)}`);
  }
}

/** Decodes a byte stream into the JSON values of its lines. */
export async function* decodeNdjson(source: AsyncIterable<Uint8Array | string>, opts: { maxLineBytes?: number } = {}): AsyncGenerator<unknown> {
  const decoder = new NdjsonDecoder(opts);
  for await (const chunk of source) yield* decoder.push(chunk);
  yield* decoder.end();
}
