// Builds the admission chain from `--enable-admission-plugins` / `--disable-admission-plugins`:
// the in-tree plugins plus those that need more than read access (ResourceQuota charges quotas
// through the REST storage's compare-and-swap).
import { ResourceQuotaResource, type KubeObject, type ResourceQuota, type ResourceType } from '@kite/api-types';
import type { RestStorage } from '../registry/rest.js';
import { refFor } from '../registry/scope.js';
import type { Store } from '../storage/store.js';
import { AdmissionChain } from './chain.js';
import type { AdmissionContext, AdmissionPlugin } from './interface.js';
import { RESOURCE_QUOTA, inTreeRegistry, newAdmissionPlugins, selectPlugins, withPlugins, type PluginSelection } from './registry.js';
import { ResourceQuotaPlugin, type QuotaCharger } from './resource-quota/plugin.js';
import { DefaultTolerationSeconds, NAME as DEFAULT_TOLERATION_SECONDS, type DefaultTolerationSecondsOptions } from './default-toleration-seconds.js';

/** Enough attempts that a burst of concurrent creates all get a definite answer, never a 409. */
const QUOTA_CAS_ATTEMPTS = 10_000;

export interface AdmissionOptions {
  /** `--default-not-ready-toleration-seconds` / `--default-unreachable-toleration-seconds`. */
  tolerations?: DefaultTolerationSecondsOptions;
  /** Steps that are not optional plugins in Kubernetes either (RBAC escalation checks). */
  always?: readonly AdmissionPlugin[];
}

export function buildAdmission(rest: RestStorage, store: Store, selection: PluginSelection, opts: AdmissionOptions = {}): AdmissionChain {
  const ctx: AdmissionContext = {
    get: <T extends KubeObject>(rt: ResourceType, namespace: string, name: string) => store.get<T>(refFor({ rt, namespace }, name)),
    list: async <T extends KubeObject>(rt: ResourceType, namespace: string) => (await rest.list({ rt, ...(namespace ? { namespace } : {}) }, {})).items as T[],
  };
  const quotaRt = ResourceQuotaResource as unknown as ResourceType;
  const charger: QuotaCharger = {
    charge: async (namespace, name, mutate) => {
      await rest.guaranteedUpdate({ rt: quotaRt, namespace }, name, (current) => mutate(current as unknown as ResourceQuota) as never, { maxAttempts: QUOTA_CAS_ATTEMPTS });
    },
  };
  const registry = withPlugins(inTreeRegistry, [
    [RESOURCE_QUOTA, (c) => new ResourceQuotaPlugin(c, charger)],
    [DEFAULT_TOLERATION_SECONDS, () => new DefaultTolerationSeconds(opts.tolerations)],
  ]);
  return new AdmissionChain([...newAdmissionPlugins(selectPlugins(selection, registry), ctx, registry), ...(opts.always ?? [])]);
}
