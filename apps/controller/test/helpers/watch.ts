// PodWatch: follows the pods of a namespace through a real watch and calls `check` after every
// event with the current set, so tests can assert invariants at every step of a rollout.
import { PodResource, type Pod } from '@kite/api-types';
import type { KubeClient } from '@kite/client';

export class PodWatch {
  readonly pods = new Map<string, Pod>();
  /** Every pod name ever seen ADDED. */
  readonly added = new Set<string>();
  events = 0;
  /** Why the watch ended early, if it did (checked by `stop`). */
  error: unknown;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly check: (pods: ReadonlyMap<string, Pod>) => void = () => undefined,
  ) {}

  /** Lists, then watches from the list's resourceVersion; resolves once watching. */
  async start(): Promise<void> {
    const res = this.client.resource(PodResource);
    const list = await res.list({ namespace: this.namespace });
    for (const p of list.items) this.pods.set(p.metadata.name ?? '', p);
    const stream = res.watch({ namespace: this.namespace, resourceVersion: list.metadata.resourceVersion, signal: this.abort.signal });
    this.loop = (async () => {
      try {
        for await (const ev of stream) {
          if (ev.type === 'BOOKMARK') continue;
          const name = ev.object.metadata.name ?? '';
          if (ev.type === 'ADDED') this.added.add(name);
          if (ev.type === 'DELETED') this.pods.delete(name);
          else this.pods.set(name, ev.object);
          this.events++;
          this.check(this.pods);
        }
      } catch (err) {
        if (!this.abort.signal.aborted) this.error = err;
      }
    })();
  }

  /** Ends the watch; throws if it had broken off before (so no event went unchecked). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.error) throw this.error;
  }
}

/** Pods not being deleted and not finished. */
export function activePods(pods: ReadonlyMap<string, Pod>): Pod[] {
  return [...pods.values()].filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}
