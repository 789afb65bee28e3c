// Watches pods and records when each one is first seen bound (spec.nodeName set), on the same
// clock (performance.now) the driver uses to stamp creations: create→bound latency per pod, as
// scheduler_perf measures it through its own watch.
import type { Pod } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';

export class BindTracker {
  readonly boundAt = new Map<string, number>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly pods: ResourceClient<Pod>,
    private readonly namespace: string,
  ) {}

  start(resourceVersion: string): void {
    this.loop = this.run(resourceVersion);
  }

  /** Resolves once `count` pods were seen bound, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void> {
    if (this.boundAt.size >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.boundAt.size}/${count} pods bound after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop?.catch(() => undefined);
  }

  private async run(resourceVersion: string): Promise<void> {
    let rv = resourceVersion;
    while (!this.abort.signal.aborted) {
      try {
        for await (const ev of this.pods.watch({ namespace: this.namespace, resourceVersion: rv, signal: this.abort.signal, timeoutSeconds: 600 })) {
          rv = ev.object.metadata.resourceVersion ?? rv;
          if (ev.type === 'BOOKMARK') continue;
          const name = ev.object.metadata.name;
          if (name && ev.object.spec?.nodeName && !this.boundAt.has(name)) this.record(name);
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        console.error('bench watch restarted:', err instanceof Error ? err.message : err);
      }
    }
  }

  private record(name: string): void {
    this.boundAt.set(name, performance.now());
    const n = this.boundAt.size;
    this.waiters = this.waiters.filter((w) => (w.count <= n ? (w.resolve(), false) : true));
  }
}
