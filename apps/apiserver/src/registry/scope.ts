// What a request addresses: a kind, a namespace, a name and a subresource.
import type { KubeObject, ResourceType } from '@kite/api-types';
import { resourceKey, type ObjectRef } from '../storage/keys.js';

export interface RequestScope {
  rt: ResourceType;
  /** The namespace in the path; undefined for cluster-scoped kinds or all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function refFor(scope: RequestScope, name: string): ObjectRef {
  return { resource: resourceKey(scope.rt.group, scope.rt.plural), namespace: scope.rt.namespaced ? (scope.namespace ?? '') : '', name };
}

export function groupResource(rt: ResourceType): { group: string; plural: string } {
  return { group: rt.group, plural: rt.plural };
}

/** The member a continue token resumes after, for an item of a list in this scope. */
export function memberOf(scope: RequestScope, obj: KubeObject): string {
  if (!scope.rt.namespaced || scope.namespace) return obj.metadata.name ?? '';
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
