// Reads CRI-format container logs back as plain text, the way `kubectl logs` shows them:
// the message part of each record, partial (P) records joined to the next, optional timestamps,
// the last N lines, and following the file as it grows.
import { open, readFile, stat } from 'node:fs/promises';

export interface CriRecord {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  message: string;
}

export function parseCriLine(line: string): CriRecord | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  return { time: line.slice(0, a), stream, partial: line.slice(b + 1, c) === 'P', message: line.slice(c + 1) };
}

/** Turns CRI records into output text, one line per full record. */
export function renderRecords(lines: string[], timestamps: boolean): string[] {
  const out: string[] = [];
  let pending = '';
  for (const line of lines) {
    const r = parseCriLine(line);
    if (!r) continue;
    pending += r.message;
    if (r.partial) continue;
    out.push(`${timestamps ? `${r.time} ` : ''}${pending}\n`);
    pending = '';
  }
  return out;
}

export async function readLog(path: string, opts: { tailLines?: number; timestamps?: boolean }): Promise<{ text: string; size: number }> {
  const raw = await readFile(path, 'utf8').catch(() => '');
  const lines = raw.split('\n').filter((l) => l.length > 0);
  let out = renderRecords(lines, Boolean(opts.timestamps));
  if (opts.tailLines !== undefined) out = opts.tailLines === 0 ? [] : out.slice(-opts.tailLines);
  return { text: out.join(''), size: Buffer.byteLength(raw) };
}

/** How often a followed log is checked for growth. */
const FOLLOW_POLL_MS = 100;

/**
 * Streams what is appended to the log after `offset` until `done()` says the writer has finished
 * (and everything has been read) or the signal aborts.
 */
export async function followLog(path: string, offset: number, write: (text: string) => void, done: () => Promise<boolean>, signal: AbortSignal, timestamps: boolean): Promise<void> {
  let pos = offset;
  let carry = '';
  while (!signal.aborted) {
    const size = await stat(path).then((s) => s.size, () => pos);
    if (size > pos) {
      const fh = await open(path, 'r');
      const buf = Buffer.alloc(size - pos);
      await fh.read(buf, 0, buf.length, pos);
      await fh.close();
      pos = size;
      const text = carry + buf.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      const out = renderRecords(lines, timestamps).join('');
      if (out) write(out);
      continue;
    }
    if (await done()) return;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}
