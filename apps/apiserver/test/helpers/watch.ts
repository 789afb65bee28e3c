// A raw HTTP watch for tests: reads the NDJSON stream and records every event (as the admin).
import { ADMIN, testPki } from '@kite/testing';
export interface RawEvent {
  type: string;
  object: { kind?: string; code?: number; reason?: string; metadata?: { name?: string; resourceVersion?: string } };
}

export interface RawWatch {
  status: number;
  events: RawEvent[];
  /** Resolves when the server ends the stream (or the watch is closed). */
  ended: Promise<void>;
  close(): void;
}

export async function openWatch(url: string): Promise<RawWatch> {
  const ctrl = new AbortController();
  const fetch = await (await testPki()).fetcher(ADMIN);
  const res = await fetch(url, { signal: ctrl.signal });
  const events: RawEvent[] = [];
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const ended = (async () => {
    if (!reader) return;
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as RawEvent);
        }
      }
    } catch {
      // aborted or connection reset: the stream has ended
    }
  })();
  return { status: res.status, events, ended, close: () => ctrl.abort() };
}
