// Expectations: what a controller has asked the apiserver to do and not yet seen in its cache.
//
// Why: after a ReplicaSet controller sends 100 pod creates, its pod cache still shows the old
// pods until the watch events arrive. A sync that ran in between would count too few pods and
// create another 100. So before writing, the controller records "expect 100 creations" (or the
// keys of the pods it deletes); informer handlers tick them off as the events arrive, and the
// controller only manages replicas again once nothing is outstanding.
//
// Contract:
// - `satisfied(key)` is true when nothing was recorded for `key`, when every expected creation
//   and deletion has been observed (or given up on with `creationFailed`/`deletionFailed`), or when
//   the record is older than the TTL — a safety net for events that never come (a watch gap
//   healed by a relist that merged several changes).
// - Deletions are tracked by pod key, not by count: a graceful delete shows up first as an update
//   (deletionTimestamp set), later as a DELETED event, and each pod must count only once.
// - `forget(key)` drops the record when the owner itself is gone.

/** How long an unmet expectation blocks a controller (Kubernetes uses 5 minutes too). */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Record {
  creations: number;
  deletions: Set<string>;
  at: number;
}

export interface ExpectationsOptions {
  ttlMs?: number;
  now?: () => number;
}

export class Expectations {
  private readonly records = new Map<string, Record>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: ExpectationsOptions = {}) {
    this.ttlMs = opts.ttlMs ?? EXPECTATIONS_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.creations <= 0 && r.deletions.size === 0) return true;
    return this.now() - r.at > this.ttlMs;
  }

  /** Records `n` creations about to be sent (replacing any earlier record for `key`). */
  expectCreations(key: string, n: number): void {
    this.records.set(key, { creations: n, deletions: new Set(), at: this.now() });
  }

  /** Records the pod keys about to be deleted (replacing any earlier record for `key`). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.records.set(key, { creations: 0, deletions: new Set(podKeys), at: this.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r && r.creations > 0) r.creations--;
  }

  /** A create that failed or was skipped will never be observed: stop waiting for it. */
  creationFailed(key: string, n = 1): void {
    const r = this.records.get(key);
    if (r) r.creations = Math.max(0, r.creations - n);
  }

  deletionObserved(key: string, podKey: string): void {
    this.records.get(key)?.deletions.delete(podKey);
  }

  deletionFailed(key: string, podKey: string): void {
    this.deletionObserved(key, podKey);
  }

  forget(key: string): void {
    this.records.delete(key);
  }

  /** Outstanding creations and deletions, for logs and tests. */
  pending(key: string): { creations: number; deletions: number } {
    const r = this.records.get(key);
    return { creations: r?.creations ?? 0, deletions: r?.deletions.size ?? 0 };
  }
}
