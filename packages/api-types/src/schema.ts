// Schema building blocks shared by every kind. Lists carry the OpenAPI extensions that strategic
// merge patch (`x-kubernetes-patch-*`) and server-side apply (`x-kubernetes-list-*`) read, with the
// same values Kubernetes' OpenAPI gives the same fields; a wrong merge key silently corrupts patches.
import { Kind, Type, TypeRegistry, type SchemaOptions, type TArray, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** TypeBox kind of StringEnum, registered so TypeBox's own Value.Check understands it too. */
const STRING_ENUM_KIND = 'KiteStringEnum';
if (!TypeRegistry.Has(STRING_ENUM_KIND)) {
  TypeRegistry.Set<{ enum: string[] }>(STRING_ENUM_KIND, (schema, value) => typeof value === 'string' && schema.enum.includes(value));
}

/**
 * A string restricted to fixed values; the TS type is the union of the values. Emitted as
 * `{type: string, enum: [...]}` as Kubernetes' OpenAPI does (a union of literals would be `const`,
 * which OpenAPI 3.0 lacks).
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: STRING_ENUM_KIND, type: 'string', enum: [...values] });
}

/** How merges and applies treat one list field. */
export interface ListSpec {
  description?: string;
  /** Field that identifies an entry for strategic merge patch. */
  patchMergeKey?: string;
  /** `merge`, or `merge,retainKeys` for lists such as volumes. */
  patchStrategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  /** Fields that identify an entry for server-side apply (listType `map`). */
  mapKeys?: string[];
}

export function List<T extends TSchema>(items: T, spec: ListSpec = {}): TArray<T> {
  const opts: SchemaOptions = {};
  if (spec.description) opts.description = spec.description;
  if (spec.patchMergeKey) opts['x-kubernetes-patch-merge-key'] = spec.patchMergeKey;
  if (spec.patchStrategy) opts['x-kubernetes-patch-strategy'] = spec.patchStrategy;
  if (spec.listType) opts['x-kubernetes-list-type'] = spec.listType;
  if (spec.mapKeys) opts['x-kubernetes-list-map-keys'] = spec.mapKeys;
  return Type.Array(items, opts);
}

/** A list replaced as a whole by patches and applies. */
export function AtomicList<T extends TSchema>(items: T, description?: string): TArray<T> {
  return List(items, { listType: 'atomic', ...(description ? { description } : {}) });
}

/**
 * A list of objects keyed by one field, merged entry by entry (containers by name, conditions by
 * type): merge key, strategy `merge`, list type `map` keyed by the same field.
 */
export function KeyedList<T extends TSchema>(items: T, key: string, description?: string): TArray<T> {
  return List(items, { patchMergeKey: key, patchStrategy: 'merge', listType: 'map', mapKeys: [key], ...(description ? { description } : {}) });
}

/** Optional string with a description. */
export const OptString = (description?: string) => Type.Optional(Type.String(description ? { description } : {}));
/** Optional 32/64-bit integer with a description. */
export const OptInt = (description?: string) => Type.Optional(Type.Integer(description ? { description } : {}));
/** Optional boolean with a description. */
export const OptBool = (description?: string) => Type.Optional(Type.Boolean(description ? { description } : {}));

/** An integer or a string, such as a port (80 or 'http') or a rolling-update budget (1 or '25%'). */
export function IntOrString(description?: string) {
  return Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, ...(description ? { description } : {}) });
}
