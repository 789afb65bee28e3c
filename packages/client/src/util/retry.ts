// retryOnConflict, as client-go's util/retry: a read-modify-write that lost a race (409 Conflict:
// the object changed between its get and its update) is run again from the read, a few times,
// with a short growing pause. Any other error, or the last conflict, is the caller's.
import { isConflict } from '@kite/apimachinery';

export interface RetryBackoff {
  /** Attempts in all, the first included. */
  steps: number;
  /** Pause before the second attempt; each next pause is `factor` times longer. */
  durationMs: number;
  factor: number;
}

/** client-go's retry.DefaultRetry: 5 attempts, 10 ms, ×1 (with jitter there; none needed here). */
export const DEFAULT_RETRY: RetryBackoff = { steps: 5, durationMs: 10, factor: 1 };

export async function retryOnConflict<T>(fn: () => Promise<T>, backoff: RetryBackoff = DEFAULT_RETRY): Promise<T> {
  let pause = backoff.durationMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || attempt >= backoff.steps) throw err;
    }
    await new Promise((r) => setTimeout(r, pause));
    pause *= backoff.factor;
  }
}
