// Writes container output in the CRI log format that kubelet and `kubectl logs` read:
//   2024-05-01T12:00:00.123456789Z stdout F the line
// `F` marks a full line; a line longer than MAX_LINE_BYTES is cut into `P` (partial) pieces
// followed by a final `F` piece. Output without a trailing newline is held until the newline
// arrives or the writer closes (then it is written as `F`, as containerd does at exit).
// Writes are synchronous appends, so lines from several writers on one file never interleave.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogStream = 'stdout' | 'stderr';

/** Longest line piece written as one record (containerd's default is 16 KiB). */
export const MAX_LINE_BYTES = 16 * 1024;

const NEWLINE = 0x0a;

/** RFC 3339 with nanoseconds: millisecond clock time plus sub-millisecond hrtime digits. */
function timestamp(): string {
  const iso = new Date().toISOString();
  const sub = String(process.hrtime.bigint() % 1_000_000n).padStart(6, '0');
  return `${iso.slice(0, -1)}${sub}Z`;
}

/** Formats one CRI log record. */
export function criLine(stream: LogStream, tag: 'F' | 'P', content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp()} ${stream} ${tag} `), content, Buffer.from('\n')]);
}

export class CriLogWriter {
  readonly #fd: number;
  readonly #pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  #closed = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'a');
  }

  write(stream: LogStream, chunk: Uint8Array): void {
    if (this.#closed) return;
    let data = Buffer.concat([this.#pending[stream], chunk]);
    let newline = data.indexOf(NEWLINE);
    while (newline >= 0) {
      this.#emit(stream, data.subarray(0, newline));
      data = data.subarray(newline + 1);
      newline = data.indexOf(NEWLINE);
    }
    while (data.length > MAX_LINE_BYTES) {
      writeSync(this.#fd, criLine(stream, 'P', data.subarray(0, MAX_LINE_BYTES)));
      data = data.subarray(MAX_LINE_BYTES);
    }
    this.#pending[stream] = Buffer.from(data);
  }

  #emit(stream: LogStream, line: Uint8Array): void {
    let rest = line;
    while (rest.length > MAX_LINE_BYTES) {
      writeSync(this.#fd, criLine(stream, 'P', rest.subarray(0, MAX_LINE_BYTES)));
      rest = rest.subarray(MAX_LINE_BYTES);
    }
    writeSync(this.#fd, criLine(stream, 'F', rest));
  }

  /** Flushes held partial lines and closes the file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#pending[stream].length > 0) this.#emit(stream, this.#pending[stream]);
    }
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** Parses CRI log text back into lines (joining P pieces); for tests and `kubectl logs`. */
export function parseCriLog(text: string): Array<{ time: string; stream: LogStream; line: string }> {
  const out: Array<{ time: string; stream: LogStream; line: string }> = [];
  let partial = '';
  for (const record of text.split('\n')) {
    const match = /^(\S+) (stdout|stderr) ([FP]) (.*)$/.exec(record);
    if (!match) continue;
    const [, time = '', stream, tag, content = ''] = match;
    partial += content;
    if (tag === 'F') {
      out.push({ time, stream: stream as LogStream, line: partial });
      partial = '';
    }
  }
  return out;
}
