// Object keys: `namespace/name` for namespaced objects, `name` for cluster-scoped ones — the keys
// of informer caches and of controllers' workqueues.

/** The minimal shape a key can be computed from. */
export interface Keyed {
  readonly metadata: { readonly name?: string; readonly namespace?: string };
}

/** `namespace/name`, or `name` when the object has no namespace. */
export function objectKey(obj: Keyed): string {
  const { name = '', namespace } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key made by `objectKey` into its namespace ('' for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash === -1 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
