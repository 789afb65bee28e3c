// The escalation check (pkg/registry/rbac/validation: ConfirmNoEscalation, Covers): a user may
// only write a Role, or bind a role, whose every permission they already hold. Each requested
// rule is broken into single (verb, group, resource, name) grants, and each grant must be covered
// by one of the user's rules.
import type { PolicyRule } from '@kite/api-types';

const ALL = '*';
const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === ALL || x === v);

/** Splits a rule into rules with one verb, one group, one resource and at most one name each. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  if ((rule.nonResourceURLs?.length ?? 0) > 0) {
    for (const verb of rule.verbs) for (const url of rule.nonResourceURLs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
    return out;
  }
  const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
  for (const verb of rule.verbs)
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const name of names) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], ...(name !== undefined ? { resourceNames: [name] } : {}) });
  return out;
}

function resourceCovers(owner: readonly string[] | undefined, requested: string): boolean {
  if (has(owner, requested)) return true;
  // An owner's `*/scale` covers a requested `deployments/scale`.
  const slash = requested.indexOf('/');
  return slash >= 0 && (owner ?? []).includes(`*${requested.slice(slash)}`);
}

function urlCovers(owner: readonly string[] | undefined, url: string): boolean {
  return (owner ?? []).some((o) => o === ALL || o === url || (o.endsWith('*') && url.startsWith(o.slice(0, -1))));
}

/** Whether `owner` grants everything `single` (one verb, group, resource, name) asks for. */
function covers(owner: PolicyRule, single: PolicyRule): boolean {
  const verb = single.verbs[0] ?? '';
  if (!has(owner.verbs, verb)) return false;
  if ((single.nonResourceURLs?.length ?? 0) > 0) return urlCovers(owner.nonResourceURLs, single.nonResourceURLs?.[0] ?? '');
  if (!has(owner.apiGroups, single.apiGroups?.[0] ?? '')) return false;
  if (!resourceCovers(owner.resources, single.resources?.[0] ?? '')) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  const name = single.resourceNames?.[0];
  return name !== undefined && ownerNames.includes(name);
}

/** The requested single grants no owner rule covers (empty when the request escalates nothing). */
export function uncoveredRules(ownerRules: readonly PolicyRule[], requested: readonly PolicyRule[]): PolicyRule[] {
  return requested.flatMap(breakdown).filter((single) => !ownerRules.some((o) => covers(o, single)));
}

/** Go's %+v of a rule, as Kubernetes lists missing permissions: {APIGroups:[""], Resources:["secrets"], Verbs:["get"]}. */
export function formatRule(r: PolicyRule): string {
  const q = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
