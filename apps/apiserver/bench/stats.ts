// Latency samples and the summaries the report prints. Samples live in a preallocated typed array
// sized by the caller's operation bound, so recording costs no allocation inside the timed loop.

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  private readonly samples: Float64Array;
  private n = 0;
  /** Samples that did not fit (the summary is then over the first `capacity`). */
  dropped = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.n < this.samples.length) this.samples[this.n++] = ms;
    else this.dropped++;
  }

  get count(): number {
    return this.n;
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.n).sort();
    return { count: this.n, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[this.n - 1] ?? 0 };
  }
}

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Median of a few round results (the report's headline numbers). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
