// defineResource builds a registry entry with the conventional defaults, so each kind's module only
// states what is particular to it.
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject, StatusCause } from './meta/v1.js';
import type { NameFormat } from './validation/names.js';
import { apiVersionOf, type ResourceType, type ScaleSubresource, type VersionConversion } from './registry.js';

/** A version served beside its kind's storage version, with the conversion functions between them. */
export interface ConversionDefinition<T extends KubeObject, S extends KubeObject> {
  storage: ResourceType<S>;
  toStorage(obj: T): S;
  fromStorage(obj: S): T;
}

export interface ResourceDefinition<T extends KubeObject, S extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  namespaced: boolean;
  categories?: string[];
  schema: TSchema;
  status?: boolean;
  scale?: ScaleSubresource;
  nameFormat?: NameFormat;
  defaults?: (obj: T) => void;
  validate?: (obj: T, old?: T) => StatusCause[];
  fieldSelectors?: Record<string, (obj: T) => string | undefined>;
  virtual?: boolean;
  readOnly?: boolean;
  /** For a version served beside the storage version: that version and the conversions. */
  conversion?: ConversionDefinition<T, S>;
}

/**
 * Defaults run before validation, so they may meet malformed input (a string where a list belongs).
 * Swallowing the resulting TypeError keeps the registry's "never throws" contract; validation then
 * reports the malformed field.
 */
function guardDefaults<T>(fn: ((obj: T) => void) | undefined): (obj: T) => void {
  if (!fn) return () => {};
  return (obj) => {
    try {
      fn(obj);
    } catch {
      // Left partly defaulted; the schema check names the field that broke it.
    }
  };
}

export function defineResource<T extends KubeObject, S extends KubeObject = KubeObject>(def: ResourceDefinition<T, S>): ResourceType<T> {
  return {
    group: def.group,
    version: def.version,
    apiVersion: apiVersionOf(def.group, def.version),
    kind: def.kind,
    listKind: `${def.kind}List`,
    plural: def.plural,
    singular: def.kind.toLowerCase(),
    shortNames: def.shortNames ?? [],
    namespaced: def.namespaced,
    categories: def.categories ?? [],
    schema: def.schema,
    subresources: { status: def.status ?? false, ...(def.scale ? { scale: def.scale } : {}) },
    nameFormat: def.nameFormat ?? 'dns-subdomain',
    defaults: guardDefaults(def.defaults),
    validate: def.validate ?? (() => []),
    fieldSelectors: def.fieldSelectors ?? {},
    ...(def.virtual ? { virtual: true } : {}),
    ...(def.readOnly ? { readOnly: true } : {}),
    ...(def.conversion ? { conversion: def.conversion as unknown as VersionConversion } : {}),
  };
}
