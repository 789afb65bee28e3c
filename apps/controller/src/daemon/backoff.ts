// Back-off for deleting failed daemon pods. A kubelet that rejects a pod (a port taken, a
// resource it lacks) makes it Failed at once; the controller deletes it and creates another, so
// without a back-off the two would fight in a hot loop. Per DaemonSet and node the delay doubles
// from FAILED_POD_BACKOFF_INITIAL_MS up to FAILED_POD_BACKOFF_MAX_MS (Kubernetes' 1 s and 15 min),
// and is forgotten after twice the maximum without a failure.
import { ExponentialRateLimiter } from '@kite/client';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

export class FailedPodBackoff {
  private readonly delays = new ExponentialRateLimiter<string>({ baseDelayMs: FAILED_POD_BACKOFF_INITIAL_MS, maxDelayMs: FAILED_POD_BACKOFF_MAX_MS });
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Milliseconds left in the back-off of `key`; 0 when a deletion may go ahead. */
  remaining(key: string): number {
    const t = this.until.get(key);
    if (t === undefined) return 0;
    const left = t - this.now();
    if (left < -2 * FAILED_POD_BACKOFF_MAX_MS) {
      this.until.delete(key);
      this.delays.forget(key);
    }
    return Math.max(0, left);
  }

  /** Records a deletion now: the next one waits the next, doubled, delay. */
  next(key: string): void {
    this.until.set(key, this.now() + this.delays.when(key));
  }

  /** Drops every key of a DaemonSet (it was deleted). */
  forgetPrefix(prefix: string): void {
    for (const key of [...this.until.keys()]) {
      if (!key.startsWith(prefix)) continue;
      this.until.delete(key);
      this.delays.forget(key);
    }
  }
}
