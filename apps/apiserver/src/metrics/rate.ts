// Rates from cumulative values, the two ways the metrics APIs need them.
//
// CPU (metrics-server's way): the kubelet reports cumulative core-seconds per container with the
// time of each reading; usage is the rate between the two latest readings, over the time they
// really span (their timestamps), not over the scrape interval. Worked example: 12.0 core-seconds
// at t=100.0 s and 13.5 at t=115.0 s → (13.5 − 12.0) / 15.0 = 0.1 cores = 100m over a 15 s window.
// A decrease means the counter was reset (a restarted container or node): there is no rate until
// two readings of the new counter exist, as metrics-server refuses such a pair.
//
// Request counters (Prometheus' way): a proxy's per-pod counter that was absent at the previous
// scrape started from zero since then (the series is created at its first request), and one that
// went down was reset, so everything it holds now was counted within the window.

/** One reading of a cumulative value, with the time it was taken. */
export interface CumulativePoint {
  timestampMs: number;
  value: number;
}

export interface Rate {
  /** Increase per second. */
  perSecond: number;
  /** Time between the two readings, in ms. */
  windowMs: number;
}

/** The rate between two readings of a cumulative value, or undefined when they give none. */
export function cumulativeRate(prev: CumulativePoint, last: CumulativePoint): Rate | undefined {
  const windowMs = last.timestampMs - prev.timestampMs;
  if (!(windowMs > 0) || !Number.isFinite(last.value) || !Number.isFinite(prev.value)) return undefined;
  if (last.value < prev.value) return undefined;
  return { perSecond: ((last.value - prev.value) * 1000) / windowMs, windowMs };
}

/**
 * The per-second rate of a counter scraped twice `windowMs` apart; `prev` undefined means the
 * series did not exist at the earlier scrape (it counted from zero since).
 */
export function counterRate(prev: number | undefined, last: number, windowMs: number): number {
  if (!(windowMs > 0) || !Number.isFinite(last) || last < 0) return 0;
  const increase = prev === undefined || last < prev ? last : last - prev;
  return (increase * 1000) / windowMs;
}
