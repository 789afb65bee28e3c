// Whether one PolicyRule allows a request, as pkg/registry/rbac/validation/rule.go decides it:
// verbs, API groups, resources and names match exactly or by '*'; a rule resource `pods/log`
// matches that subresource, `*/scale` the scale subresource of anything; a non-resource URL
// matches exactly or, ending in '*', by prefix.
import type { PolicyRule } from '@kite/api-types';
import type { Attributes, NonResourceAttributes, ResourceAttributes } from '../types.js';

const ALL = '*';

export const verbMatches = (rule: PolicyRule, verb: string): boolean => rule.verbs.some((v) => v === ALL || v === verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean => (rule.apiGroups ?? []).some((g) => g === ALL || g === group);

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === ALL || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** An empty resourceNames list means every name; a list never matches a request without a name. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

export function ruleAllowsResource(attrs: Pick<ResourceAttributes, 'verb' | 'apiGroup' | 'resource' | 'subresource' | 'name'>, rule: PolicyRule): boolean {
  return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup) && resourceMatches(rule, attrs.resource, attrs.subresource) && resourceNameMatches(rule, attrs.name);
}

export function ruleAllowsNonResource(attrs: Pick<NonResourceAttributes, 'verb' | 'path'>, rule: PolicyRule): boolean {
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  return attrs.resourceRequest ? ruleAllowsResource(attrs, rule) : ruleAllowsNonResource(attrs, rule);
}

export const rulesAllow = (attrs: Attributes, rules: readonly PolicyRule[]): boolean => rules.some((r) => ruleAllows(attrs, r));
