// An informer inside the apiserver: lists one kind from storage, then follows the watch cache
// from the list's revision, handing every change to a sink. The authorizers keep their RBAC
// objects and pod graph this way (as Kubernetes' apiserver runs shared informers against its own
// loopback client), so a request is authorized from memory with no store round-trip. When the
// watch cache expires the watch (it fell behind), the sink is reset and the kind relisted.
import type { KubeObject, ResourceType } from '@kite/api-types';
import type { RestStorage } from '../registry/rest.js';
import { resourceKey } from '../storage/keys.js';
import type { WatchCache } from '../storage/watch-cache.js';

export interface InformerSink {
  /** Forget everything (before a relist). */
  reset(): void;
  upsert(obj: KubeObject): void;
  remove(obj: KubeObject): void;
}

export class LocalInformer {
  private stopWatch: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly rest: RestStorage,
    private readonly cache: WatchCache,
    private readonly rt: ResourceType,
    private readonly sink: InformerSink,
  ) {}

  /** Resolves once the initial list is in the sink. */
  async start(): Promise<void> {
    this.sink.reset();
    const list = await this.rest.list({ rt: this.rt }, {});
    for (const obj of list.items) this.sink.upsert(obj);
    if (this.stopped) return;
    this.stopWatch = this.cache.watch({ resource: resourceKey(this.rt.group, this.rt.plural) }, Number(list.metadata.resourceVersion ?? 0), {
      event: (type, ev) => {
        if (type === 'DELETED') this.sink.remove(ev.object);
        else if (type === 'ADDED' || type === 'MODIFIED') this.sink.upsert(ev.object);
      },
      bookmark: () => {},
      expire: () => {
        this.stopWatch = undefined;
        if (!this.stopped) void this.start().catch(() => undefined);
      },
    }, false);
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }
}
