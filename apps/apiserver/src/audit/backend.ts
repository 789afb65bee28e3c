// The log backend (`--audit-log-path`): audit events as JSON lines appended to a file, or to
// standard output for `-`, as kube-apiserver's log backend writes them. Writes are buffered by
// the stream and never block a request; close() flushes what is pending.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { AuditEvent } from './event.js';

export interface AuditBackend {
  write(event: AuditEvent): void;
  close(): Promise<void>;
}

export function logBackend(path: string): AuditBackend {
  if (path === '-') {
    return { write: (e) => void process.stdout.write(`${JSON.stringify(e)}\n`), close: async () => {} };
  }
  const out: WriteStream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  return {
    write: (e) => void out.write(`${JSON.stringify(e)}\n`),
    close: () => new Promise((resolve) => out.end(resolve)),
  };
}
