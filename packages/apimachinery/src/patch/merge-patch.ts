// JSON merge patch (RFC 7396), `application/merge-patch+json`.
//
// Contract: a patch object merges into the target key by key; `null` deletes a key; any other
// value (arrays included) replaces what was there. A patch that is not an object replaces the
// whole target. Neither input is mutated; the result shares no structure with them.
//
// Written here rather than taken from json-merge-patch@1, which mutates its target, ships no
// types and stops at the first `__proto__` key instead of treating it as data.
import { cloneJson, isJsonObject, setOwn, type JsonObject } from './json.js';

export function applyMergePatch(original: unknown, patch: unknown): unknown {
  return merge(cloneJson(original), patch);
}

/** Merges `patch` into `target`, which the caller owns and which may be reused. */
function merge(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, merge(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}
