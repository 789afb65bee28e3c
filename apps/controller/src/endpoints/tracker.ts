// SliceTracker: the EndpointSlice writes a controller made that its cache has not shown yet.
//
// Why: slices are created with generateName, so nothing on the server stops a second create for
// the same endpoints. If a Service synced again before the new slice reached the cache, it would
// look missing and be created twice. The tracker remembers, per Service, the resourceVersion each
// written slice reached (or that it was deleted); until the cache has caught up with all of them
// the Service's cache is stale and its sync waits (the slice events requeue it).
// resourceVersions are the apiserver's revision counter (BRIEF §2), so they compare as numbers.
import type { EndpointSlice } from '@kite/api-types';
import type { Indexer } from '@kite/client';

const DELETED = 'deleted';

export class SliceTracker {
  private readonly expected = new Map<string, Map<string, string>>();

  written(serviceKey: string, slice: EndpointSlice): void {
    this.entry(serviceKey).set(`${slice.metadata.namespace ?? ''}/${slice.metadata.name ?? ''}`, slice.metadata.resourceVersion ?? '0');
  }

  deleted(serviceKey: string, namespace: string, name: string): void {
    this.entry(serviceKey).set(`${namespace}/${name}`, DELETED);
  }

  /** True while some write for this Service is not yet in `store`; forgets the ones that are. */
  stale(serviceKey: string, store: Indexer<EndpointSlice>): boolean {
    const e = this.expected.get(serviceKey);
    if (!e) return false;
    for (const [key, rv] of e) {
      const cached = store.get(key);
      const seen = rv === DELETED ? cached === undefined : cached !== undefined && BigInt(cached.metadata.resourceVersion ?? '0') >= BigInt(rv);
      if (seen) e.delete(key);
    }
    if (e.size === 0) this.expected.delete(serviceKey);
    return e.size > 0;
  }

  forget(serviceKey: string): void {
    this.expected.delete(serviceKey);
  }

  private entry(serviceKey: string): Map<string, string> {
    let e = this.expected.get(serviceKey);
    if (!e) this.expected.set(serviceKey, (e = new Map()));
    return e;
  }
}
