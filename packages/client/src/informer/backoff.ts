// Backoff: the growing delay between failed attempts to list or watch.
//
// Contract: `next()` returns the delay before the next attempt and grows it — initialMs, then ×factor
// per consecutive failure up to maxMs — spread by ±jitter (a fraction) so many clients that lost
// the same apiserver do not return in step. `reset()` starts over after a success.
// Example: initial 200 ms, factor 2, max 30 s, jitter 0 → 200, 400, 800, … 25 600, 30 000, 30 000.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay added or removed at random; 0 disables it. */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_INITIAL_MS = 200;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
export const DEFAULT_BACKOFF_FACTOR = 2;
export const DEFAULT_BACKOFF_JITTER = 0.2;

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private failures = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    this.maxMs = opts.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.factor = opts.factor ?? DEFAULT_BACKOFF_FACTOR;
    this.jitter = opts.jitter ?? DEFAULT_BACKOFF_JITTER;
    this.random = opts.random ?? Math.random;
  }

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.failures);
    this.failures++;
    const spread = base * this.jitter * (2 * this.random() - 1);
    return Math.max(0, Math.round(base + spread));
  }

  reset(): void {
    this.failures = 0;
  }

  /** Consecutive failures since the last reset. */
  attempts(): number {
    return this.failures;
  }
}
