// The Nodes, Pods and Services the metrics APIs need, held in memory by informers over the
// apiserver's own store and watch cache (auth/local-informer.ts): the scraper reads each node's
// address and kubelet port from here, and the APIs take labels (labelSelector is matched against
// the Node or Pod object, as metrics-server does) and existence from here. Objects are shared with
// readers: never mutated.
import { NodeResource, PodResource, ServiceResource, type KubeObject, type Node, type Pod, type ResourceType, type Service } from '@kite/api-types';
import { LocalInformer, type InformerSink } from '../auth/local-informer.js';
import type { RestStorage } from '../registry/rest.js';
import type { WatchCache } from '../storage/watch-cache.js';

/** Objects of one kind by namespace ('' for cluster-scoped kinds), then name. */
export class ObjectIndex<T extends KubeObject> implements InformerSink {
  private readonly byNamespace = new Map<string, Map<string, T>>();

  reset(): void {
    this.byNamespace.clear();
  }

  upsert(obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    let m = this.byNamespace.get(ns);
    if (!m) this.byNamespace.set(ns, (m = new Map()));
    m.set(obj.metadata.name ?? '', obj as T);
  }

  remove(obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    const m = this.byNamespace.get(ns);
    m?.delete(obj.metadata.name ?? '');
    if (m?.size === 0) this.byNamespace.delete(ns);
  }

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  /** Every object in `namespace`, or in all namespaces when undefined. */
  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    return [...this.byNamespace.values()].flatMap((m) => [...m.values()]);
  }
}

export class ClusterObjects {
  readonly nodes = new ObjectIndex<Node>();
  readonly pods = new ObjectIndex<Pod>();
  readonly services = new ObjectIndex<Service>();
  private readonly informers: LocalInformer[];

  constructor(rest: RestStorage, cache: WatchCache) {
    const informer = (rt: ResourceType, sink: InformerSink) => new LocalInformer(rest, cache, rt, sink);
    this.informers = [
      informer(NodeResource as unknown as ResourceType, this.nodes),
      informer(PodResource as unknown as ResourceType, this.pods),
      informer(ServiceResource as unknown as ResourceType, this.services),
    ];
  }

  /** Resolves once every kind is listed. */
  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  stop(): void {
    for (const i of this.informers) i.stop();
  }
}
