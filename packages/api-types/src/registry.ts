// The resource registry: one entry per kind, naming its REST path, scope, schema, defaulting and
// semantic validation. The apiserver serves exactly what is registered here; discovery, OpenAPI and
// the typed client read the same entries.
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject, StatusCause } from './meta/v1.js';
import type { NameFormat } from './validation/names.js';

/** Where the scale subresource finds replicas and the selector (JSON paths without the leading dot). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string;
}

export interface ResourceType<T extends KubeObject = KubeObject> {
  /** API group: '' for the core group. */
  group: string;
  version: string;
  /** `v1` for the core group, otherwise `group/version`. */
  apiVersion: string;
  kind: string;
  listKind: string;
  /** The REST resource name, plural and lower case: `pods`. */
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  /** Schema of the whole object. */
  schema: TSchema;
  subresources: { status: boolean; scale?: ScaleSubresource };
  /**
   * The rule `metadata.name` follows: a DNS-1123 subdomain (253 chars) by default, a label (63)
   * for Namespaces and Services, a path segment for RBAC kinds (names like `system:node`).
   */
  nameFormat: NameFormat;
  /** Fills defaults in place, as Kubernetes' defaulting functions do. Never throws. */
  defaults: (obj: T) => void;
  /**
   * Semantic validation beyond the schema (names, labels, cross-field rules). Returns every
   * problem with its field path. `old` is set on update, for immutability rules.
   */
  validate: (obj: T, old?: T) => StatusCause[];
  /** Extra field-selector fields this kind supports, mapped to a value getter. */
  fieldSelectors: Record<string, (obj: T) => string | undefined>;
  /**
   * A create-only kind that is computed, never stored (the review kinds): it has a path and a
   * discovery entry with the verb `create`, and no storage, list or watch.
   */
  virtual?: boolean;
  /**
   * A read-only kind that is computed, never stored (metrics.k8s.io NodeMetrics and PodMetrics):
   * it has a path and a discovery entry with the verbs `get` and `list`, and no storage, watch or
   * writes. The apiserver computes each answer from live data.
   */
  readOnly?: boolean;
  /**
   * Set on a version served beside the kind's storage version (autoscaling/v1 beside the stored
   * autoscaling/v2 HorizontalPodAutoscaler): objects are stored once, at `storage`, and converted
   * to and from this version on every request, as Kubernetes serves several versions of one kind.
   */
  conversion?: VersionConversion;
}

/**
 * Kubernetes' conversion functions for one served version. Both directions are pure, never throw
 * (malformed input converts as far as it goes; validation at the storage version names the
 * field), and round-trip: `toStorage(fromStorage(x))` equals `x` for every valid stored `x`, what
 * this version cannot express travelling in annotations.
 */
export interface VersionConversion {
  /** The registry entry of the version objects are stored at: same group, plural and kind. */
  storage: ResourceType;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** The version `rt`'s objects are stored at: `rt` itself unless it is a converted version. */
export function storageVersionOf(rt: ResourceType): ResourceType {
  return rt.conversion?.storage ?? rt;
}

/** `group/version` or `v1` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}
