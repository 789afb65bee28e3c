// CPU rates (usageNanoCores) from cumulative readings, as the Kubernetes kubelet's CRI stats
// provider computes them: keep the previous reading per key (container id, or the node), and
// the rate is the CPU used between it and the new one over the time between them.
//   Worked example: 2.0e9 ns at t=10 s, then 3.5e9 ns at t=12 s → 1.5e9 ns / 2 s = 7.5e8
//   nanocores, i.e. 750m.
// A reading with less CPU than the previous (the container was replaced under the same key) or
// no previous reading has no rate yet; it becomes the reference for the next one.
// Unlike Kubernetes, two readings closer than MIN_RATE_WINDOW_MS (two scrapes at once) do not
// replace the reference: the last rate is returned, so a burst of callers cannot shrink the
// window to a few milliseconds of noise.

/** Shortest interval a rate is computed over. */
export const MIN_RATE_WINDOW_MS = 1000;
const MS_PER_SECOND = 1000;

interface Reference {
  atMs: number;
  usageNs: number;
  rate?: number;
}

export class CpuRateTracker {
  readonly #previous = new Map<string, Reference>();

  /** The rate in nanocores since the previous reading of `key`, or undefined when there is none yet. */
  observe(key: string, at: Date, usageCoreNanoSeconds: number): number | undefined {
    const atMs = at.getTime();
    const prev = this.#previous.get(key);
    if (!prev || usageCoreNanoSeconds < prev.usageNs || atMs < prev.atMs) {
      this.#previous.set(key, { atMs, usageNs: usageCoreNanoSeconds });
      return undefined;
    }
    const elapsedMs = atMs - prev.atMs;
    if (elapsedMs < MIN_RATE_WINDOW_MS) return prev.rate;
    const rate = Math.round(((usageCoreNanoSeconds - prev.usageNs) / elapsedMs) * MS_PER_SECOND);
    this.#previous.set(key, { atMs, usageNs: usageCoreNanoSeconds, rate });
    return rate;
  }

  /** Forgets every key not in `keys` (containers that are gone). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.#previous.keys()) if (!keys.has(key)) this.#previous.delete(key);
  }
}
