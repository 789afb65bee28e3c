// Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), what client-side
// `kubectl apply`, `kubectl patch` and `kubectl edit` send. Written from the documented semantics
// (community/contributors/devel/sig-api-machinery/strategic-merge-patch.md), driven by the
// kind's JSON Schema instead of Go struct tags.
//
// Contract:
// - Maps merge recursively; `null` deletes a key. A map with `$patch: replace` replaces the
//   original map; `$patch: delete` removes it; `$retainKeys: [..]` drops original keys not listed.
// - A list whose schema says `x-kubernetes-patch-strategy: merge`:
//   with `x-kubernetes-patch-merge-key` K, patch items update the original item with the same K
//   or are appended; `{"$patch": "delete", K: v}` removes an item; an item `{"$patch": "replace"}`
//   makes the rest of the patch list replace the whole list. Lists of primitives are unioned
//   (finalizers). A merge list of maps without a merge key is replaced.
// - Any other list is replaced (atomic), directives inside its items removed.
// - `$setElementOrder/F` orders list F after the merge (kubectl sends it with every list it
//   applies); items only the server had keep their place relative to the others.
//   `$deleteFromPrimitiveList/F` removes values from primitive list F before F is merged.
// - The input documents are never mutated; the result shares no structure with them.
// - A patch that is not a JSON object is a 400; malformed directives are a 422 naming the field.
import { badRequest, unprocessable, type ApiError } from '../errors.js';
import { cloneJson, isJsonObject, jsonEqual, setOwn, type JsonObject } from './json.js';
import { fieldStrategy, itemSchema, objectBranch, propertySchema, type JsonSchema } from './schema.js';

export type { JsonSchema } from './schema.js';

export const DIRECTIVE_PATCH = '$patch';
export const DIRECTIVE_RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

/** Returned by `mergeMap` for `$patch: delete`: the parent drops the field. */
const DELETE = Symbol('delete');

function isDirectiveKey(key: string): boolean {
  return key === DIRECTIVE_PATCH || key === DIRECTIVE_RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER_PREFIX) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
}

function patchError(path: string, detail: string): ApiError {
  return unprocessable(`strategic merge patch${path === '' ? '' : ` at ${path}`}: ${detail}`);
}

const child = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Applies `patch` to `original` (which should be an object; anything else counts as `{}`). */
export function strategicMergePatch(original: unknown, patch: unknown, schema?: JsonSchema): unknown {
  if (!isJsonObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  const doc = isJsonObject(original) ? cloneJson(original) : {};
  const merged = mergeMap(doc, patch, objectBranch(schema), '');
  return merged === DELETE ? {} : merged;
}

/** Merges a patch map into `target`, which the caller owns (already a copy) and may be reused. */
function mergeMap(target: JsonObject | undefined, patch: JsonObject, schema: JsonSchema | undefined, path: string): JsonObject | typeof DELETE {
  const directive = patch[DIRECTIVE_PATCH];
  if (directive === 'delete') return DELETE;
  if (directive === 'replace') {
    const rest = Object.fromEntries(Object.entries(patch).filter(([k]) => k !== DIRECTIVE_PATCH));
    return mergeMap(undefined, rest, schema, path);
  }
  if (directive !== undefined && directive !== 'merge') throw patchError(path, `unknown $patch directive ${JSON.stringify(directive)}`);
  const result = target ?? {};
  retainKeys(result, patch, path);
  deleteFromPrimitiveLists(result, patch, path);
  const before = { ...result };
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key)) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = Object.hasOwn(result, key) ? result[key] : undefined;
    const merged = mergeField(current, value, propertySchema(schema, key), child(path, key));
    if (merged === DELETE) delete result[key];
    else setOwn(result, key, merged);
  }
  setElementOrders(result, before, patch, schema, path);
  return result;
}

function mergeField(current: unknown, value: unknown, schema: JsonSchema | undefined, path: string): unknown {
  if (Array.isArray(value)) return mergeList(Array.isArray(current) ? current : undefined, value, schema, path);
  if (isJsonObject(value)) return mergeMap(isJsonObject(current) ? current : undefined, value, objectBranch(schema), path);
  return value;
}

const isListReplaceDirective = (item: unknown): boolean =>
  isJsonObject(item) && item[DIRECTIVE_PATCH] === 'replace' && Object.keys(item).length === 1;

/** The patch list as a new list: directives inside items applied to nothing, deleted items dropped. */
function freshList(patch: readonly unknown[], items: JsonSchema | undefined, path: string): unknown[] {
  const out: unknown[] = [];
  patch.forEach((item, i) => {
    if (isListReplaceDirective(item)) return;
    const fresh = mergeField(undefined, item, items, `${path}[${i}]`);
    if (fresh !== DELETE) out.push(fresh);
  });
  return out;
}

function mergeList(current: unknown[] | undefined, patch: unknown[], schema: JsonSchema | undefined, path: string): unknown[] {
  const strategy = fieldStrategy(schema);
  const items = itemSchema(schema);
  if (!strategy.merge || patch.some(isListReplaceDirective)) return freshList(patch, items, path);
  // A new array: the parent keeps the original list to resolve `$setElementOrder` positions.
  const result = [...(current ?? [])];
  const hasMaps = patch.some(isJsonObject) || result.some(isJsonObject);
  if (!hasMaps) return unionPrimitives(result, patch);
  if (strategy.mergeKey === undefined) return freshList(patch, items, path);
  return mergeByKey(result, patch, strategy.mergeKey, objectBranch(items), path);
}

/** Merge-strategy list of primitives: append what is not there yet. */
function unionPrimitives(result: unknown[], patch: readonly unknown[]): unknown[] {
  for (const value of patch) {
    if (!result.some((v) => jsonEqual(v, value))) result.push(cloneJson(value));
  }
  return result;
}

function indexOfKey(list: readonly unknown[], mergeKey: string, keyValue: unknown): number {
  return list.findIndex((e) => isJsonObject(e) && jsonEqual(e[mergeKey], keyValue));
}

/** Merge-strategy list of maps: items are matched by their merge key. */
function mergeByKey(result: unknown[], patch: readonly unknown[], mergeKey: string, items: JsonSchema | undefined, path: string): unknown[] {
  patch.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (!isJsonObject(item)) throw patchError(itemPath, `a list merged by key "${mergeKey}" may hold only maps, found ${JSON.stringify(item)}`);
    const keyValue = item[mergeKey];
    if (keyValue === undefined) throw patchError(itemPath, `map ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    let at = indexOfKey(result, mergeKey, keyValue);
    if (item[DIRECTIVE_PATCH] === 'delete') {
      for (; at >= 0; at = indexOfKey(result, mergeKey, keyValue)) result.splice(at, 1);
      return;
    }
    const existing = at >= 0 ? result[at] : undefined;
    const merged = mergeMap(isJsonObject(existing) ? existing : undefined, item, items, itemPath);
    if (merged === DELETE) return;
    if (at >= 0) result[at] = merged;
    else result.push(merged);
  });
  return result;
}

function stringList(value: unknown, path: string, directive: string): unknown[] {
  if (!Array.isArray(value)) throw patchError(path, `${directive} must be a list, found ${JSON.stringify(value)}`);
  return value;
}

/** `$retainKeys`: original keys not listed are cleared; every patched key must be listed. */
function retainKeys(result: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, DIRECTIVE_RETAIN_KEYS)) return;
  const keep = stringList(patch[DIRECTIVE_RETAIN_KEYS], path, DIRECTIVE_RETAIN_KEYS);
  if (!keep.every((k) => typeof k === 'string')) throw patchError(path, `${DIRECTIVE_RETAIN_KEYS} must be a list of strings`);
  for (const [key, value] of Object.entries(patch)) {
    if (!isDirectiveKey(key) && value !== null && !keep.includes(key)) {
      throw patchError(path, `${DIRECTIVE_RETAIN_KEYS} must list every field the patch sets; ${JSON.stringify(key)} is missing`);
    }
  }
  for (const key of Object.keys(result)) {
    if (!keep.includes(key)) delete result[key];
  }
}

/** `$deleteFromPrimitiveList/F: [values]` removes those values from list F. */
function deleteFromPrimitiveLists(result: JsonObject, patch: JsonObject, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length);
    const remove = stringList(value, child(path, field), key);
    const list = result[field];
    if (!Array.isArray(list)) continue;
    if (remove.some((v) => typeof v === 'object' && v !== null)) throw patchError(child(path, field), `${key} may list only primitive values`);
    setOwn(result, field, list.filter((v) => !remove.some((r) => jsonEqual(r, v))));
  }
}

/** Applies every `$setElementOrder/F` of the patch to the merged lists of `result`. */
function setElementOrders(result: JsonObject, before: JsonObject, patch: JsonObject, schema: JsonSchema | undefined, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const field = key.slice(SET_ELEMENT_ORDER_PREFIX.length);
    const order = stringList(value, child(path, field), key);
    const merged = result[field];
    if (!Array.isArray(merged)) continue;
    const mergeKey = fieldStrategy(propertySchema(schema, field)).mergeKey;
    const original = Array.isArray(before[field]) ? (before[field] as unknown[]) : [];
    setOwn(result, field, reorder(merged, original, order, mergeKey, child(path, field)));
  }
}

/**
 * Orders `merged` by `order` (identities: merge-key maps or primitive values). Items not in the
 * order list keep their place relative to the ordered ones as it was in the original list.
 * Example: original [app, sidecar], order [app], patch updates app → [app, sidecar];
 * original [sidecar, app], same patch → [sidecar, app].
 */
function reorder(merged: readonly unknown[], original: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined, path: string): unknown[] {
  const identity = (item: unknown): unknown => (mergeKey !== undefined && isJsonObject(item) ? item[mergeKey] : item);
  const orderIds = order.map((entry) => {
    if (mergeKey === undefined) return entry;
    if (!isJsonObject(entry) || entry[mergeKey] === undefined) throw patchError(path, `$setElementOrder entries must be maps with the merge key "${mergeKey}"`);
    return entry[mergeKey];
  });
  const position = (list: readonly unknown[], item: unknown): number => list.findIndex((e) => jsonEqual(identity(e), identity(item)));
  const rank = (item: unknown): number => orderIds.findIndex((id) => jsonEqual(id, identity(item)));
  const ordered = merged.filter((item) => rank(item) >= 0).sort((a, b) => rank(a) - rank(b));
  const others = merged.filter((item) => rank(item) < 0);
  const out: unknown[] = [];
  while (ordered.length > 0 && others.length > 0) {
    const a = position(original, ordered[0]);
    const b = position(original, others[0]);
    const takeOther = a >= 0 && b >= 0 && b < a;
    out.push(takeOther ? others.shift() : ordered.shift());
  }
  return [...out, ...ordered, ...others];
}
