// What one object costs against a ResourceQuota (pkg/quota/v1/evaluator/core): a pod counts as
// `pods` and `count/pods`, and its requests and limits as `requests.cpu`, `cpu`, `limits.memory`
// and so on (the sum over containers, or the largest init container when that is more, as the
// scheduler counts them); any other kind counts as `count/RESOURCE[.GROUP]`, and the core kinds
// also under their classic names (`services`, `configmaps`, `secrets`, ...), with
// `services.nodeports` and `services.loadbalancers` for Services.
import { formatQuantity, quantityMilliValue } from '../quantity.js';
import type { ResourceType } from '../registry.js';

/** Usage in milli-units (so CPU `100m` is 100 and one pod is 1000), by resource name. */
export type Usage = Map<string, number>;

/** A usage in milli-units as a quantity string, the way Kubernetes prints it (`500m`, `2`, `1Gi`). */
export function formatQuotaQuantity(resource: string, milli: number): string {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  if (milli % 1000 !== 0) return `${milli}m`;
  return formatQuantity(milli / 1000, /memory|storage/.test(resource) ? 'BinarySI' : 'DecimalSI');
}

const CLASSIC_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

interface ContainerLike {
  readonly name?: string;
  readonly resources?: { readonly requests?: Readonly<Record<string, string | number>>; readonly limits?: Readonly<Record<string, string | number>> };
}
interface PodLike {
  readonly spec?: { readonly containers?: readonly ContainerLike[]; readonly initContainers?: readonly ContainerLike[]; readonly activeDeadlineSeconds?: number };
  readonly status?: { readonly phase?: string };
}

const ONE = 1000;

function add(u: Usage, key: string, milli: number): void {
  u.set(key, (u.get(key) ?? 0) + milli);
}

function sumOf(containers: readonly ContainerLike[], kind: 'requests' | 'limits'): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of containers) for (const [r, q] of Object.entries(c.resources?.[kind] ?? {})) out.set(r, (out.get(r) ?? 0) + quantityMilliValue(q));
  return out;
}

function maxOf(containers: readonly ContainerLike[], kind: 'requests' | 'limits'): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of containers) for (const [r, q] of Object.entries(c.resources?.[kind] ?? {})) out.set(r, Math.max(out.get(r) ?? 0, quantityMilliValue(q)));
  return out;
}

/** Effective requests or limits of a pod: max(sum of containers, largest init container). */
export function podResources(pod: PodLike, kind: 'requests' | 'limits'): Map<string, number> {
  const sum = sumOf(pod.spec?.containers ?? [], kind);
  for (const [r, v] of maxOf(pod.spec?.initContainers ?? [], kind)) sum.set(r, Math.max(sum.get(r) ?? 0, v));
  return sum;
}

/** A pod in a terminal phase no longer counts against quota. */
export function podCounts(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export function usageOf(rt: Pick<ResourceType, 'group' | 'plural'>, obj: object): Usage {
  const u: Usage = new Map();
  const countName = rt.group === '' ? `count/${rt.plural}` : `count/${rt.plural}.${rt.group}`;
  add(u, countName, ONE);
  const classic = rt.group === '' ? CLASSIC_COUNTS[rt.plural] : undefined;
  if (classic) add(u, classic, ONE);
  if (rt.group === '' && rt.plural === 'pods') {
    const pod = obj as PodLike;
    if (!podCounts(pod)) return new Map([...u].filter(([k]) => k.startsWith('count/') || k === 'pods').map(([k]) => [k, 0]));
    for (const [r, v] of podResources(pod, 'requests')) {
      add(u, `requests.${r}`, v);
      if (r === 'cpu' || r === 'memory' || r === 'ephemeral-storage') add(u, r, v);
    }
    for (const [r, v] of podResources(pod, 'limits')) add(u, `limits.${r}`, v);
  }
  if (rt.group === '' && rt.plural === 'services') {
    const spec = (obj as { spec?: { type?: string; ports?: readonly unknown[] } }).spec;
    const ports = (spec?.ports ?? []).length;
    if (spec?.type === 'NodePort' || spec?.type === 'LoadBalancer') add(u, 'services.nodeports', ports * ONE);
    if (spec?.type === 'LoadBalancer') add(u, 'services.loadbalancers', ONE);
  }
  return u;
}

/** Whether a quota with these scopes tracks this pod (Terminating, NotTerminating, BestEffort, NotBestEffort). */
export function podMatchesQuotaScopes(pod: PodLike, scopes: readonly string[]): boolean {
  const bestEffort = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every(
    (c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0,
  );
  const terminating = (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
  return scopes.every((s) => {
    if (s === 'Terminating') return terminating;
    if (s === 'NotTerminating') return !terminating;
    if (s === 'BestEffort') return bestEffort;
    if (s === 'NotBestEffort') return !bestEffort;
    return true;
  });
}
