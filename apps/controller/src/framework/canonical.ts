// Canonical JSON: the same text for equal values regardless of key order or undefined fields.
// Used to compare desired with stored objects (so a re-ordered but equal object is no reason to
// write) and as the input of the pod-template hash.

/** JSON with object keys sorted at every level and undefined values dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A value with nulls, empty objects and empty arrays removed at every level (an object or array
 * that becomes empty is removed too): what Kubernetes' typed structs make of JSON. `kubectl`
 * writes a template back with `creationTimestamp: null` and `resources: {}`; both mean "absent".
 */
export function pruneEmpty(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = pruneEmpty(v);
    if (p !== undefined) out[k] = p;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Canonical JSON of the pruned value: equal for values Kubernetes would consider equal. */
export function semanticJson(value: unknown): string {
  return canonicalJson(pruneEmpty(value) ?? {});
}
