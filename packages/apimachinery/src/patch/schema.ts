// Walks a kind's JSON Schema (TypeBox output or hand-written) alongside a document, so the
// strategic merge patch can find each list's merge key and patch strategy.
//
// Contract: every function accepts `undefined` and returns `undefined` when the schema says
// nothing, which callers treat as "no hints" (maps merge, lists are replaced).
// - Type.Optional leaves the schema itself in place, so nothing is needed for it.
// - Type.Union / anyOf, oneOf, allOf: the first branch of the wanted shape is followed.
// - Type.Record: patternProperties (the first pattern matching the key) or additionalProperties.
// - `$ref` is not resolved (no schema registry here): a referenced subtree carries no hints.

/** A JSON Schema node, as TypeBox's TSchema or a plain object literal. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The patch behaviour of one field (usually a list), read from Kubernetes' OpenAPI extensions. */
export interface FieldStrategy {
  /** `x-kubernetes-patch-strategy` contains `merge`: items merge (by key) instead of replacing. */
  merge: boolean;
  /** `x-kubernetes-patch-strategy` contains `retainKeys`. */
  retainKeys: boolean;
  /** `x-kubernetes-patch-merge-key`, e.g. `name` for containers. */
  mergeKey?: string;
}

export const PATCH_STRATEGY_EXTENSION = 'x-kubernetes-patch-strategy';
export const PATCH_MERGE_KEY_EXTENSION = 'x-kubernetes-patch-merge-key';

const COMBINERS = ['anyOf', 'oneOf', 'allOf'] as const;

function asSchema(x: unknown): JsonSchema | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as JsonSchema) : undefined;
}

function isObjectSchema(s: JsonSchema): boolean {
  return s.type === 'object' || s.properties !== undefined || s.patternProperties !== undefined || asSchema(s.additionalProperties) !== undefined;
}

function isArraySchema(s: JsonSchema): boolean {
  return s.type === 'array' || asSchema(s.items) !== undefined;
}

/** The schema itself or the first branch of its combiners (depth first) that satisfies `want`. */
function findBranch(schema: JsonSchema | undefined, want: (s: JsonSchema) => boolean, depth = 0): JsonSchema | undefined {
  if (schema === undefined || depth > 8) return undefined;
  if (want(schema)) return schema;
  for (const combiner of COMBINERS) {
    const branches = schema[combiner];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const found = findBranch(asSchema(branch), want, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The branch of `schema` describing an object (a struct or a map). */
export function objectBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  return findBranch(schema, isObjectSchema);
}

/** The branch of `schema` describing an array. */
export function arrayBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  return findBranch(schema, isArraySchema);
}

function patternMatches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

/** The schema of `obj[key]` given the object's schema: properties, then patterns, then additional. */
export function propertySchema(objectSchema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const obj = objectBranch(objectSchema);
  if (obj === undefined) return undefined;
  const props = asSchema(obj.properties);
  if (props !== undefined && Object.hasOwn(props, key)) return asSchema(props[key]);
  const patterns = asSchema(obj.patternProperties);
  for (const [pattern, sub] of Object.entries(patterns ?? {})) {
    if (patternMatches(pattern, key)) return asSchema(sub);
  }
  return asSchema(obj.additionalProperties);
}

/** The schema of each item of a list field. */
export function itemSchema(fieldSchema: JsonSchema | undefined): JsonSchema | undefined {
  return asSchema(arrayBranch(fieldSchema)?.items);
}

function extension(fieldSchema: JsonSchema | undefined, name: string): string | undefined {
  const own = fieldSchema?.[name];
  if (typeof own === 'string') return own;
  const branched = arrayBranch(fieldSchema)?.[name];
  return typeof branched === 'string' ? branched : undefined;
}

/** The strategy of a field; the extensions may sit on the field itself or on its array branch. */
export function fieldStrategy(fieldSchema: JsonSchema | undefined): FieldStrategy {
  const parts = (extension(fieldSchema, PATCH_STRATEGY_EXTENSION) ?? '').split(',').map((p) => p.trim());
  const mergeKey = extension(fieldSchema, PATCH_MERGE_KEY_EXTENSION);
  const strategy: FieldStrategy = { merge: parts.includes('merge'), retainKeys: parts.includes('retainKeys') };
  if (mergeKey !== undefined && mergeKey !== '') strategy.mergeKey = mergeKey;
  return strategy;
}
