// InformerFactory: one informer per kind for the whole manager, shared by every controller that
// reads that kind (the ReplicaSet, Deployment, Endpoints, node lifecycle and garbage collector
// controllers all read Pods; one watch and one cache serve them all).
//
// Contract:
// - `informer(rt)` returns the same Informer for the same resource path, creating it on first use.
// - `index(rt, name, fn)` adds a secondary index once; a second call with the same name is a no-op,
//   so controllers can each declare the indexes they rely on.
// - `start()` starts every informer created so far (idempotent for those already running) and
//   resolves once all of them have synced; informers created later are started by the next call.
// - `stop()` stops them all.
import type { KubeObject, ResourceType } from '@kite/api-types';
import { Informer, NAMESPACE_INDEX, namespaceIndexFunc, type IndexFunc, type KubeClient, type ResourceInfo } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { controllerRefOf } from './owners.js';

/** Index of objects by the uid of their controller (pods by ReplicaSet, ReplicaSets by Deployment). */
export const CONTROLLER_UID_INDEX = 'controller-uid';
/** Index of objects by the uid of every owner, for the garbage collector. */
export const OWNER_UID_INDEX = 'owner-uid';
/** Index of objects without a controller, by namespace: the candidates for adoption. */
export const ORPHAN_INDEX = 'orphans';
/** Index of objects by uid. */
export const UID_INDEX = 'uid';

export const controllerUidIndexFunc: IndexFunc<KubeObject> = (obj) => {
  const ref = controllerRefOf(obj);
  return ref ? [ref.uid] : [];
};
export const orphanIndexFunc: IndexFunc<KubeObject> = (obj) => (controllerRefOf(obj) ? [] : [obj.metadata.namespace ?? '']);
export const ownerUidIndexFunc: IndexFunc<KubeObject> = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
export const uidIndexFunc: IndexFunc<KubeObject> = (obj) => (obj.metadata.uid ? [obj.metadata.uid] : []);

export interface InformerFactoryOptions {
  client: KubeClient;
  logger: Logger;
  /** Period of full re-deliveries; level-triggered controllers heal missed events with it. */
  resyncMs?: number;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly indexes = new Map<string, Set<string>>();
  private readonly opts: InformerFactoryOptions;

  constructor(opts: InformerFactoryOptions) {
    this.opts = opts;
  }

  informer<T extends KubeObject>(rt: ResourceType<T> | ResourceInfo): Informer<T> {
    const id = resourceId(rt);
    let inf = this.informers.get(id);
    if (!inf) {
      const log = this.opts.logger;
      inf = new Informer<KubeObject>({
        client: this.opts.client.resource<KubeObject>(rt as ResourceInfo),
        resyncMs: this.opts.resyncMs,
        onError: (err, phase) => log.warn({ resource: id, phase, err: err instanceof Error ? err.message : String(err) }, 'informer error'),
      });
      inf.store.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
      this.indexes.set(id, new Set([NAMESPACE_INDEX]));
      this.informers.set(id, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Adds the index `name` to the informer of `rt` unless it already has it. */
  index<T extends KubeObject>(rt: ResourceType<T> | ResourceInfo, name: string, fn: IndexFunc<T>): Informer<T> {
    const inf = this.informer<T>(rt);
    const names = this.indexes.get(resourceId(rt)) ?? new Set<string>();
    if (!names.has(name)) {
      inf.store.addIndexer(name, fn);
      names.add(name);
    }
    return inf;
  }

  /** Starts every informer created so far; resolves once they have all synced. */
  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  hasSynced(...rts: (ResourceType | ResourceInfo)[]): boolean {
    return rts.every((rt) => this.informers.get(resourceId(rt))?.hasSynced() === true);
  }

  /** Whether every informer created so far has synced. */
  allSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}

/** `group/version/plural`: the identity of a resource's informer. */
export function resourceId(rt: Pick<ResourceInfo, 'group' | 'version' | 'plural'>): string {
  return `${rt.group}/${rt.version}/${rt.plural}`;
}
