// The Redis key layout, mirroring how Kubernetes lays objects out in etcd (BRIEF §2):
//   /registry/RESOURCE/NS/NAME    one JSON string per object (RESOURCE is `pods`, `deployments.apps`)
//   /index/RESOURCE/NS            sorted set of names in one namespace (lexicographic, for paging)
//   /index/RESOURCE               sorted set of `NS/NAME` (or NAME when cluster-scoped)
//   /registry/~rev                the cluster-wide revision counter
//   /registry/~events             the change stream; entry IDs are `REVISION-0`

export const REVISION_KEY = '/registry/~rev';
export const EVENTS_KEY = '/registry/~events';
export const OBJECT_PREFIX = '/registry/';
export const INDEX_PREFIX = '/index/';

/** Identifies a resource type in keys: the plural, qualified by group outside the core group. */
export function resourceKey(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export interface ObjectRef {
  resource: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/** Member of the all-namespaces index: `NS/NAME`, or `NAME` for cluster-scoped objects. */
export function member(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

export function objectKey(ref: ObjectRef): string {
  return `${OBJECT_PREFIX}${ref.resource}/${member(ref)}`;
}

/** The index to list: one namespace, or all of them (also the index of cluster-scoped kinds). */
export function indexKey(resource: string, namespace?: string): string {
  return namespace ? `${INDEX_PREFIX}${resource}/${namespace}` : `${INDEX_PREFIX}${resource}`;
}

/** Prefix that turns a member of `indexKey(resource, namespace)` into its object key. */
export function objectKeyPrefix(resource: string, namespace?: string): string {
  return namespace ? `${OBJECT_PREFIX}${resource}/${namespace}/` : `${OBJECT_PREFIX}${resource}/`;
}
