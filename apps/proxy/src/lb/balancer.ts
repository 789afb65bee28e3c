// Balancer: picks the backend for one request to one frontend.
//
// Contract:
// - Round-robin over the current ready backends; `update` swaps the set at once and keeps the
//   rotation position, so a change never restarts the rotation at the first backend.
// - `exclude` holds backends this request already tried (retry after a refused connection); they
//   are skipped. Undefined means no backend is left.
// - With ClientIP affinity (`affinityMs` > 0) a client goes back to its last backend while that
//   backend is ready and not excluded; otherwise it is round-robined and the choice is remembered.
// - A request in flight holds its own backend; updating the set never touches it.
import type { Backend } from '../catalog/endpoints.js';
import { AffinityTable, type Now } from './affinity.js';

export class Balancer {
  private backends: readonly Backend[] = [];
  private byKey = new Map<string, Backend>();
  private next = 0;
  private affinity: AffinityTable | undefined;

  constructor(private readonly now: Now = Date.now) {}

  update(backends: readonly Backend[], affinityMs: number): void {
    this.backends = backends;
    this.byKey = new Map(backends.map((b) => [b.key, b]));
    if (affinityMs <= 0) this.affinity = undefined;
    else if (this.affinity) this.affinity.setTimeout(affinityMs);
    else this.affinity = new AffinityTable(affinityMs, this.now);
  }

  size(): number {
    return this.backends.length;
  }

  /** Whether `key` (`ip:port`) is one of the current ready backends. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  pick(client: string, exclude?: ReadonlySet<string>): Backend | undefined {
    const sticky = this.affinity?.get(client);
    if (sticky !== undefined && !exclude?.has(sticky)) {
      const b = this.byKey.get(sticky);
      if (b) {
        this.affinity?.set(client, b.key);
        return b;
      }
    }
    const b = this.roundRobin(exclude);
    if (b) this.affinity?.set(client, b.key);
    return b;
  }

  private roundRobin(exclude: ReadonlySet<string> | undefined): Backend | undefined {
    const n = this.backends.length;
    for (let i = 0; i < n; i++) {
      const b = this.backends[(this.next + i) % n];
      if (b && !exclude?.has(b.key)) {
        this.next = (this.next + i + 1) % n;
        return b;
      }
    }
    return undefined;
  }
}
