// Bulk creation with bounded concurrency: `count` calls of `make(i)`, at most `concurrency` in
// flight, retrying transient failures (429/5xx/connection) a few times with a short pause.
import { isApiError } from '@kite/apimachinery';

/** Attempts per object before the benchmark gives up on it. */
const MAX_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 50;

function transient(err: unknown): boolean {
  if (isApiError(err)) return err.code === 429 || err.code >= 500;
  return true; // connection trouble
}

export async function createMany(count: number, concurrency: number, make: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      for (let attempt = 1; ; attempt++) {
        try {
          await make(i);
          break;
        } catch (err) {
          if (attempt >= MAX_ATTEMPTS || !transient(err)) throw err;
          await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS * attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
