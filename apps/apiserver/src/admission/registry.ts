// The admission registry: one flat, ordered map from plugin name to factory, in the order of
// kube-apiserver's AllOrderedPlugins, plus the `--enable-admission-plugins` /
// `--disable-admission-plugins` selection and `runAdmission`, which runs a request through the
// chain: every mutating plugin (in order), then every validating plugin (in order). The first
// plugin to throw refuses the request.
//
// Order matters for mutation only (LimitRanger fills requests before ResourceQuota counts them;
// ServiceAccount mounts its token before PodSecurity looks at volumes), and validation always
// sees the fully mutated object. Adding a plugin means adding one line to `inTreeRegistry`.
import type { KubeObject } from '@kite/api-types';
import * as defaultTolerationSeconds from './default-toleration-seconds.js';
import { isMutating, isValidating, type AdmissionAttributes, type AdmissionContext, type AdmissionPlugin, type PluginFactory } from './interface.js';
import * as limitRanger from './limit-ranger.js';
import * as namespaceLifecycle from './namespace-lifecycle.js';
import * as podSecurity from './pod-security.js';
import * as serviceAccount from './service-account.js';
import * as defaultStorageClass from './default-storage-class.js';
import * as storageProtection from './storage-object-in-use-protection.js';
import * as pvcResize from './persistent-volume-claim-resize.js';
import * as runtimeClass from './runtime-class.js';

export type Registry = ReadonlyMap<string, PluginFactory>;

/** Names of plugins built elsewhere, so their slots below are easy to find. */
export const SERVICE_ACCOUNT = 'ServiceAccount';
export const RESOURCE_QUOTA = 'ResourceQuota';
export const NODE_RESTRICTION = 'NodeRestriction';

/**
 * Kubernetes' recommended order (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins),
 * restricted to the plugins this apiserver knows. Unregistered names are skipped.
 */
export const RECOMMENDED_PLUGIN_ORDER: readonly string[] = [
  namespaceLifecycle.NAME,
  limitRanger.NAME,
  SERVICE_ACCOUNT,
  NODE_RESTRICTION,
  podSecurity.NAME,
  defaultTolerationSeconds.NAME,
  defaultStorageClass.NAME,
  storageProtection.NAME,
  pvcResize.NAME,
  runtimeClass.NAME,
  // Webhooks and admission policies would go here; ResourceQuota must stay last.
  RESOURCE_QUOTA,
];

/** Plugins Kubernetes leaves off unless enabled (DefaultOffAdmissionPlugins). */
export const DEFAULT_OFF_PLUGINS: ReadonlySet<string> = new Set([NODE_RESTRICTION]);

const entries: [string, PluginFactory][] = [
  [namespaceLifecycle.NAME, namespaceLifecycle.newNamespaceLifecycle],
  [limitRanger.NAME, limitRanger.newLimitRanger],
  [SERVICE_ACCOUNT, serviceAccount.newServiceAccount],
  // [NODE_RESTRICTION, nodeRestriction.newNodeRestriction],   -- NodeRestriction (not yet built)
  [podSecurity.NAME, (ctx) => podSecurity.newPodSecurity(ctx)],
  [defaultTolerationSeconds.NAME, (ctx) => defaultTolerationSeconds.newDefaultTolerationSeconds(ctx)],
  [defaultStorageClass.NAME, defaultStorageClass.newDefaultStorageClass],
  [storageProtection.NAME, storageProtection.newStorageObjectInUseProtection],
  [pvcResize.NAME, pvcResize.newPersistentVolumeClaimResize],
  [runtimeClass.NAME, runtimeClass.newRuntimeClass],
  // [RESOURCE_QUOTA, resourceQuota.newResourceQuota],         -- ResourceQuota (built separately)
];

/** Every plugin this apiserver has, in recommended order. */
export const inTreeRegistry: Registry = new Map(entries);

/** A registry with extra or replaced plugins (e.g. ServiceAccount, ResourceQuota), still in recommended order. */
export function withPlugins(base: Registry, extra: Iterable<[string, PluginFactory]>): Registry {
  const all = new Map([...base, ...extra]);
  const ordered = RECOMMENDED_PLUGIN_ORDER.filter((n) => all.has(n)).map((n) => [n, all.get(n) as PluginFactory] as [string, PluginFactory]);
  const others = [...all].filter(([n]) => !RECOMMENDED_PLUGIN_ORDER.includes(n));
  return new Map([...ordered, ...others]);
}

export interface PluginSelection {
  /** `--enable-admission-plugins`: turn on, in addition to the defaults (order does not matter). */
  enable?: readonly string[];
  /** `--disable-admission-plugins`: turn off. */
  disable?: readonly string[];
}

/** Splits a comma-separated flag value: `NamespaceLifecycle, LimitRanger` → two names. */
export function parsePluginList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The problems Kubernetes reports for these flags (AdmissionOptions.Validate); empty when fine. */
export function validateSelection(sel: PluginSelection, registry: Registry = inTreeRegistry): string[] {
  const errs: string[] = [];
  for (const n of sel.enable ?? []) if (!registry.has(n)) errs.push(`enable-admission-plugins plugin ${JSON.stringify(n)} is unknown`);
  for (const n of sel.disable ?? []) if (!registry.has(n)) errs.push(`disable-admission-plugins plugin ${JSON.stringify(n)} is unknown`);
  const disabled = new Set(sel.disable);
  const both = [...new Set(sel.enable)].filter((n) => disabled.has(n)).sort();
  if (both.length > 0) errs.push(`[${both.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`);
  return errs;
}

/**
 * The enabled plugin names in registry order (enabledPluginNames): every registered plugin
 * except the default-off and disabled ones; enabling wins over default-off. Throws an Error
 * naming every problem if the selection is invalid.
 */
export function selectPlugins(sel: PluginSelection = {}, registry: Registry = inTreeRegistry): string[] {
  const errs = validateSelection(sel, registry);
  if (errs.length > 0) throw new Error(errs.join('; '));
  const enabled = new Set(sel.enable);
  const off = new Set([...DEFAULT_OFF_PLUGINS, ...(sel.disable ?? [])].filter((n) => !enabled.has(n)));
  return [...registry.keys()].filter((n) => !off.has(n));
}

/** Builds the named plugins, in registry order, sharing one context. */
export function newAdmissionPlugins(names: readonly string[], ctx: AdmissionContext, registry: Registry = inTreeRegistry): AdmissionPlugin[] {
  const wanted = new Set(names);
  return [...registry].filter(([n]) => wanted.has(n)).map(([, factory]) => factory(ctx));
}

/** Hooks around the two phases of one admission run. */
export interface AdmissionRunContext {
  /**
   * Called between the mutating and the validating phase with the mutated object: the place for
   * schema validation, which Kubernetes runs there (BRIEF §12). Throw to refuse.
   */
  afterMutation?: (obj: KubeObject) => void | Promise<void>;
}

/**
 * Runs one request through the chain. `obj` is changed in place by mutating plugins. For DELETE,
 * pass the stored object as both `obj` and `old`. The first plugin to throw (an ApiError)
 * refuses the request; warnings and audit annotations accumulate on `attrs`.
 */
export async function runAdmission(
  plugins: readonly AdmissionPlugin[],
  attrs: AdmissionAttributes,
  obj: KubeObject,
  old: KubeObject | undefined,
  ctx: AdmissionRunContext = {},
): Promise<void> {
  for (const p of plugins) if (isMutating(p) && p.handles(attrs)) await p.admit(attrs, obj, old);
  await ctx.afterMutation?.(obj);
  for (const p of plugins) if (isValidating(p) && p.handles(attrs)) await p.validate(attrs, obj, old);
}
