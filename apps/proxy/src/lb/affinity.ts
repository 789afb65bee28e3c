// ClientIP session affinity (`sessionAffinity: ClientIP`): a client keeps reaching the backend it
// reached last, as long as it comes back within the timeout and that backend is still ready.
// Each use renews the entry, as kube-proxy's affinity does. Expired entries are swept
// lazily, at most once per sweep interval, so the table stays bounded by the clients seen
// within one timeout.
export type Now = () => number;

/** Least time between two sweeps of expired entries. */
const SWEEP_INTERVAL_MS = 10_000;

interface Entry {
  backend: string;
  lastUsed: number;
}

export class AffinityTable {
  private readonly entries = new Map<string, Entry>();
  private lastSweep: number;

  constructor(
    private timeoutMs: number,
    private readonly now: Now = Date.now,
  ) {
    this.lastSweep = now();
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  /** The backend key this client is bound to, if the binding has not expired. */
  get(client: string): string | undefined {
    const e = this.entries.get(client);
    if (!e) return undefined;
    if (this.now() - e.lastUsed > this.timeoutMs) {
      this.entries.delete(client);
      return undefined;
    }
    return e.backend;
  }

  set(client: string, backend: string): void {
    const t = this.now();
    this.entries.set(client, { backend, lastUsed: t });
    if (t - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep(t);
  }

  size(): number {
    return this.entries.size;
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [client, e] of this.entries) if (t - e.lastUsed > this.timeoutMs) this.entries.delete(client);
  }
}
