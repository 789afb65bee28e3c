// Test helpers: run defaults then validation the way the apiserver does, and read nested values.
import { resourceForKind, validateResource, type KubeObject, type ResourceType, type StatusCause } from '../src/index.js';

export function resourceOf(obj: KubeObject): ResourceType {
  const rt = resourceForKind(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`no resource for ${obj.apiVersion}/${obj.kind}`);
  return rt;
}

/** Defaults a copy of `obj` (and of `old`), validates it, returns the defaulted copy and the causes. */
export function admit(obj: KubeObject, old?: KubeObject): { obj: KubeObject; causes: StatusCause[] } {
  const rt = resourceOf(obj);
  const copy = structuredClone(obj);
  rt.defaults(copy);
  let prev: KubeObject | undefined;
  if (old) {
    prev = structuredClone(old);
    rt.defaults(prev);
  }
  return { obj: copy, causes: validateResource(rt, copy, prev) };
}

export const fieldsOf = (causes: StatusCause[]): string[] => [...new Set(causes.map((c) => c.field))].sort();

/** Splits `a.b[0]["x.y"].c` into ['a', 'b', '0', 'x.y', 'c']. */
function tokens(path: string): string[] {
  const out: string[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (const m of path.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Reads `a.b[0].c` (or `a["x.y"]`) from an object. */
export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of tokens(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Sets `a.b[0].c` on an object (creating plain objects on the way); undefined deletes. */
export function set(obj: unknown, path: string, value: unknown): void {
  const parts = tokens(path);
  let cur = obj as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}
