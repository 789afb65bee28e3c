// The ResourceQuota admission plugin (plugin/pkg/admission/resourcequota): a create is admitted
// only if every quota of its namespace that tracks it has room, and the room is taken in the same
// step: each quota's `status.used` is raised with a compare-and-swap on the quota's
// resourceVersion in Redis. Two apiservers charging one quota at once race on that version; the
// loser re-reads and re-checks, so the sum of admitted objects can never exceed `spec.hard`
// (50 concurrent pod creates against `pods: 10` admit exactly 10). Deletions give room back
// through the resource quota controller, which recomputes `status.used` from what exists.
//
// Refusals read as Kubernetes': `pods "x" is forbidden: exceeded quota: q, requested: pods=1,
// used: pods=10, limited: pods=10`, and `... failed quota: q: must specify limits.cpu for: c`.
import { formatQuotaQuantity, podMatchesQuotaScopes, quantityMilliValue, ResourceQuotaResource, usageOf, type KubeObject, type ResourceQuota, type Usage } from '@kite/api-types';
import { admissionForbidden, untyped } from '../attributes.js';
import type { AdmissionAttributes, AdmissionContext, ValidatingPlugin } from '../interface.js';

export const NAME = 'ResourceQuota';

/** Writes a quota's status with a compare-and-swap, retrying `mutate` on a concurrent change. */
export interface QuotaCharger {
  charge(namespace: string, name: string, mutate: (current: ResourceQuota) => ResourceQuota): Promise<void>;
}

const fmt = formatQuotaQuantity;

function list(resources: string[], values: (r: string) => number): string {
  return resources.sort().map((r) => `${r}=${fmt(r, values(r))}`).join(',');
}

/** The resources of `usage` the quota limits, or undefined when it tracks none of them. */
function tracked(quota: ResourceQuota, usage: Usage): string[] {
  return Object.keys(quota.spec?.hard ?? {}).filter((r) => usage.has(r));
}

/** Resources a quota limits that the pod must state (Kubernetes: requests.* and limits.* need every container to say). */
function missingResources(quota: ResourceQuota, obj: KubeObject): string[] {
  const containers = ((obj as { spec?: { containers?: Array<{ resources?: { requests?: object; limits?: object } }> } }).spec?.containers ?? []);
  const out: string[] = [];
  for (const r of Object.keys(quota.spec?.hard ?? {})) {
    const m = /^(requests|limits)\.(.+)$/.exec(r) ?? (r === 'cpu' || r === 'memory' ? ['', 'requests', r] : null);
    if (!m) continue;
    const [, kind = '', res = ''] = m;
    if (containers.some((c) => !(res in ((c.resources?.[kind as 'requests' | 'limits'] ?? {}) as object)))) out.push(r);
  }
  return out;
}

export class ResourceQuotaPlugin implements ValidatingPlugin {
  readonly name = NAME;

  constructor(
    private readonly ctx: AdmissionContext,
    private readonly charger: QuotaCharger,
  ) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && attrs.subresource === '' && attrs.rt.namespaced && !attrs.dryRun;
  }

  async validate(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    const quotas = await this.ctx.list<ResourceQuota>(untyped(ResourceQuotaResource), attrs.namespace);
    if (quotas.length === 0) return;
    const usage = usageOf(attrs.rt, obj);
    const isPod = attrs.rt.group === '' && attrs.rt.plural === 'pods';
    for (const q of quotas) {
      if (isPod && !podMatchesQuotaScopes(obj as never, q.spec?.scopes ?? [])) continue;
      // Constraints come first: a pod that names no CPU request adds nothing to requests.cpu, yet a
      // quota on requests.cpu must refuse it (the evaluator's Constraints, before usage).
      if (isPod) {
        const missing = missingResources(q, obj);
        if (missing.length > 0) {
          const names = ((obj as { spec?: { containers?: Array<{ name?: string }> } }).spec?.containers ?? []).map((c) => c.name ?? '').join(',');
          throw admissionForbidden(attrs, obj, `failed quota: ${q.metadata.name ?? ''}: must specify ${missing.sort().join(',')} for: ${names}`);
        }
      }
      const resources = tracked(q, usage);
      if (resources.length === 0) continue;
      await this.charger.charge(attrs.namespace, q.metadata.name ?? '', (current) => this.charged(attrs, obj, current, resources, usage));
    }
  }

  /** The quota with `usage` added, or a refusal when that exceeds `spec.hard`. */
  private charged(attrs: AdmissionAttributes, obj: KubeObject, current: ResourceQuota, resources: string[], usage: Usage): ResourceQuota {
    const hard = current.spec?.hard ?? {};
    const used = { ...(current.status?.used ?? {}) };
    const usedMilli = (r: string) => (used[r] === undefined ? 0 : quantityMilliValue(used[r]));
    const over = resources.filter((r) => hard[r] !== undefined && usedMilli(r) + (usage.get(r) ?? 0) > quantityMilliValue(hard[r] ?? 0));
    if (over.length > 0) {
      throw admissionForbidden(
        attrs,
        obj,
        `exceeded quota: ${current.metadata.name ?? ''}, requested: ${list(over, (r) => usage.get(r) ?? 0)}, used: ${list(over, usedMilli)}, limited: ${list(over, (r) => quantityMilliValue(hard[r] ?? 0))}`,
      );
    }
    for (const r of resources) used[r] = fmt(r, usedMilli(r) + (usage.get(r) ?? 0));
    return { ...current, status: { ...(current.status ?? {}), hard: { ...hard }, used } };
  }
}
