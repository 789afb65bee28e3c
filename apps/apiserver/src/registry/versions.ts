// Several versions of one kind (autoscaling/v1 and v2 HorizontalPodAutoscalers), stored once.
// A request at a converted version (a registry entry with `conversion`) works on the storage
// version's objects: its body is checked against its own version's schema, defaulted and converted
// on the way in; every object it gets back is converted on the way out. The storage key, RBAC's
// resource (group and plural) and the watch history are the storage version's, so every version
// sees the same objects, resourceVersions and events. Kubernetes does the same in its handlers
// (decode to the internal version, encode to the request's).
import { validateResource, type KubeList, type KubeObject, type ResourceType } from '@kite/api-types';
import { invalid } from '@kite/apimachinery';
import type { RequestScope } from './scope.js';

/** The scope at the storage version: what the store, strategies and validation work on. */
export function storageScope(scope: RequestScope): RequestScope {
  return scope.rt.conversion ? { ...scope, rt: scope.rt.conversion.storage } : scope;
}

/** A stored object as `rt`'s version shows it. Anything else (a Status, another kind) passes unchanged. */
export function toServed<T extends KubeObject>(rt: ResourceType, obj: T): T {
  const c = rt.conversion;
  if (!c || obj.kind !== c.storage.kind || obj.apiVersion !== c.storage.apiVersion) return obj;
  return c.fromStorage(obj) as T;
}

/** A list read at the storage version, as `rt`'s version lists it. */
export function listToServed(rt: ResourceType, list: KubeList<KubeObject>): KubeList<KubeObject> {
  if (!rt.conversion) return list;
  return { ...list, apiVersion: rt.apiVersion, kind: rt.listKind, items: list.items.map((item) => toServed(rt, item)) };
}

/**
 * A request body of `rt`'s version (apiVersion, kind and namespace already checked) as the object
 * to store. It must first be valid at its own version, so conversion meets the shapes it expects;
 * semantic rules run later, at the storage version, and name the storage version's fields as
 * Kubernetes' validation does.
 */
export function toStorage<T extends KubeObject>(rt: ResourceType, obj: T): KubeObject {
  const c = rt.conversion;
  if (!c) return obj;
  const causes = validateResource(rt, obj);
  if (causes.length > 0) throw invalid({ group: rt.group, kind: rt.kind }, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
  rt.defaults(obj);
  return c.toStorage(obj);
}
