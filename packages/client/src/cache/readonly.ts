// DeepReadonly: the type of objects handed out from informer caches.
//
// The cache shares one object per key with every handler and lister; mutating it would corrupt the
// cache for everyone and make the next update's diff wrong. So cached objects are typed deeply
// readonly, and code that wants to change one takes a copy first with `mutableCopy` (which is
// `structuredClone`), changes the copy, and sends it to the apiserver.
// Nothing is frozen at runtime (freezing every object costs on every event); the type is the guard.

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends Map<infer K, infer V>
      ? ReadonlyMap<DeepReadonly<K>, DeepReadonly<V>>
      : T extends Set<infer E>
        ? ReadonlySet<DeepReadonly<E>>
        : T extends object
          ? { readonly [P in keyof T]: DeepReadonly<T[P]> }
          : T;

/** A deep, mutable copy of a cached object. */
export function mutableCopy<T>(obj: DeepReadonly<T>): T {
  return structuredClone(obj) as T;
}
