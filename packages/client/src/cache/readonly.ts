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

/** The inverse of DeepReadonly: `DeepMutable<DeepReadonly<Pod>>` is structurally a `Pod`. */
export type DeepMutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? DeepMutable<E>[]
    : T extends ReadonlyMap<infer K, infer V>
      ? Map<DeepMutable<K>, DeepMutable<V>>
      : T extends ReadonlySet<infer E>
        ? Set<DeepMutable<E>>
        : T extends object
          ? { -readonly [P in keyof T]: DeepMutable<T[P]> }
          : T;

/**
 * A deep, mutable copy of a cached object: `mutableCopy(informer.store.get(key))` is a `Pod` again
 * (typed through DeepMutable, so no type argument is needed).
 */
export function mutableCopy<R>(obj: R): DeepMutable<R> {
  return structuredClone(obj) as DeepMutable<R>;
}
