// A short-lived cache of the ConfigMaps and Secrets pods read, keyed by namespace/name, as the
// Kubernetes kubelet's TTL strategy keeps them: volumes are written again every
// VOLUME_REFRESH_MS (volumes.ts), and all the pods of a node that project the same object (every
// pod projects kube-root-ca.crt) share one GET per TTL. Failures and misses are not kept: a pod
// waiting for its ConfigMap starts as soon as the ConfigMap is there.
export type ObjectFetch<T> = (namespace: string, name: string) => Promise<T>;

export function ttlCached<T>(fetch: ObjectFetch<T>, ttlMs: number, now: () => number = Date.now): ObjectFetch<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (namespace, name) => {
    const key = `${namespace}/${name}`;
    const t = now();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    // Drop expired entries now and then, so deleted objects do not pile up.
    if (entries.size > 1000) for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k);
    const value = fetch(namespace, name);
    entries.set(key, { at: t, value });
    const forget = () => {
      if (entries.get(key)?.value === value) entries.delete(key);
    };
    value.then((v) => v === undefined && forget(), forget);
    return value;
  };
}
