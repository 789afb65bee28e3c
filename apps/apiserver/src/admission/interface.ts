// Admission control (BRIEF §12): after authorization, before the store. Mutating plugins run first,
// in registry order, and may change the object; then validating plugins, which may only refuse.
// A refusal is thrown as an ApiError (usually 403 Forbidden, as Kubernetes' admission errors are;
// 422 Invalid where a plugin validates a field).
//
// Plugins are small classes with a NAME and a factory in `registry.ts`, as the scheduler's plugins
// are. They read cluster state through `AdmissionContext`, never from Redis directly.
import type { KubeObject, ResourceType } from '@kite/api-types';
import type { UserInfo } from '../auth/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  rt: ResourceType;
  /** '' for the main resource. */
  subresource: string;
  /** '' for cluster-scoped kinds. */
  namespace: string;
  name: string;
  user: UserInfo;
  dryRun: boolean;
  /** Warnings for the response's Warning headers (PodSecurity's `warn` mode adds here). */
  warnings: string[];
  /** Audit annotations (PodSecurity's `audit` mode adds here). */
  auditAnnotations: Record<string, string>;
}

/** Read access to cluster state for plugins (backed by the apiserver's storage). */
export interface AdmissionContext {
  get<T extends KubeObject>(rt: ResourceType, namespace: string, name: string): Promise<T | undefined>;
  list<T extends KubeObject>(rt: ResourceType, namespace: string): Promise<T[]>;
}

export interface MutatingPlugin {
  readonly name: string;
  handles(attrs: AdmissionAttributes): boolean;
  /** Changes `obj` in place; throws ApiError to refuse. */
  admit(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> | void;
}

export interface ValidatingPlugin {
  readonly name: string;
  handles(attrs: AdmissionAttributes): boolean;
  /** Throws ApiError to refuse; must not change `obj`. */
  validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> | void;
}

export type AdmissionPlugin = (MutatingPlugin | ValidatingPlugin) & { readonly name: string };

/** Builds a plugin; plugins that read cluster state keep the context. */
export type PluginFactory = (ctx: AdmissionContext) => AdmissionPlugin;

export function isMutating(p: AdmissionPlugin): p is AdmissionPlugin & MutatingPlugin {
  return typeof (p as Partial<MutatingPlugin>).admit === 'function';
}

export function isValidating(p: AdmissionPlugin): p is AdmissionPlugin & ValidatingPlugin {
  return typeof (p as Partial<ValidatingPlugin>).validate === 'function';
}
