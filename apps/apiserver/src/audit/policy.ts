// `--audit-policy-file`: Kubernetes' audit Policy (audit.k8s.io/v1), for example
//
//   apiVersion: audit.k8s.io/v1
//   kind: Policy
//   omitStages: [RequestReceived]
//   rules:
//     - level: None
//       nonResourceURLs: ["/healthz*", "/version"]
//     - level: Metadata
//       resources: [{group: "", resources: ["secrets", "configmaps"]}]
//     - level: RequestResponse
//       verbs: [create, update, patch, delete]
//
// The first rule that matches a request gives its level; no match is level None. The matching
// follows k8s.io/apiserver/pkg/audit/policy/checker.go: users, userGroups and verbs narrow any
// rule; namespaces and resources make it a rule for resource requests, nonResourceURLs one for
// the others; `*`, `*/sub` and `res/*` match resources, a trailing `*` matches a path prefix.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Attributes } from '../auth/types.js';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = (typeof LEVELS)[number];
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = (typeof STAGES)[number];

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  apiVersion: 'audit.k8s.io/v1';
  kind: 'Policy';
  rules: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What the policy decides for one request. */
export interface AuditDecision {
  level: Level;
  omitStages: ReadonlySet<Stage>;
  omitManagedFields: boolean;
}

const NONE: AuditDecision = { level: 'None', omitStages: new Set(), omitManagedFields: false };

const quoted = (vs: readonly string[]) => vs.map((v) => `"${v}"`).join(', ');

function stringList(v: unknown, at: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new Error(`${at}: Invalid value: must be a list of strings`);
  return v as string[];
}

function stagesOf(v: unknown, at: string): Stage[] | undefined {
  const list = stringList(v, at);
  list?.forEach((s, i) => {
    if (!(STAGES as readonly string[]).includes(s)) throw new Error(`${at}[${i}]: Unsupported value: "${s}": supported values: ${quoted(STAGES)}`);
  });
  return list as Stage[] | undefined;
}

function ruleOf(raw: Record<string, unknown>, at: string): PolicyRule {
  const level = raw.level;
  if (typeof level !== 'string' || level === '') throw new Error(`${at}.level: Required value`);
  if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`${at}.level: Unsupported value: "${level}": supported values: ${quoted(LEVELS)}`);
  const rule: PolicyRule = { level: level as Level };
  for (const key of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'] as const) {
    const list = stringList(raw[key], `${at}.${key}`);
    if (list) rule[key] = list;
  }
  if (raw.resources !== undefined) {
    if (!Array.isArray(raw.resources)) throw new Error(`${at}.resources: Invalid value: must be a list`);
    rule.resources = (raw.resources as Record<string, unknown>[]).map((gr, i) => {
      const g: GroupResources = {};
      if (gr.group !== undefined) {
        if (typeof gr.group !== 'string') throw new Error(`${at}.resources[${i}].group: Invalid value: must be a string`);
        g.group = gr.group;
      }
      const res = stringList(gr.resources, `${at}.resources[${i}].resources`);
      if (res) g.resources = res;
      const names = stringList(gr.resourceNames, `${at}.resources[${i}].resourceNames`);
      if (names) g.resourceNames = names;
      return g;
    });
  }
  if (rule.nonResourceURLs && (rule.resources || rule.namespaces)) {
    throw new Error(`${at}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
  }
  rule.nonResourceURLs?.forEach((u, i) => {
    if (!u.startsWith('/') && u !== '*') throw new Error(`${at}.nonResourceURLs[${i}]: Invalid value: "${u}": non-resource URL rules must begin with a '/' character`);
    if (u.slice(0, -1).includes('*')) throw new Error(`${at}.nonResourceURLs[${i}]: Invalid value: "${u}": non-resource URL wildcards ('*') must be the final character of the rule`);
  });
  const omit = stagesOf(raw.omitStages, `${at}.omitStages`);
  if (omit) rule.omitStages = omit;
  if (typeof raw.omitManagedFields === 'boolean') rule.omitManagedFields = raw.omitManagedFields;
  return rule;
}

/** Parses and validates a policy document; errors read like the apiserver's at start-up. */
export function parsePolicy(text: string): Policy {
  const doc = parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error('audit policy: the file is empty');
  if (doc.kind !== 'Policy') throw new Error(`audit policy: kind must be Policy, got "${String(doc.kind)}"`);
  if (doc.apiVersion !== 'audit.k8s.io/v1') throw new Error(`audit policy: apiVersion must be audit.k8s.io/v1, got "${String(doc.apiVersion)}"`);
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw new Error('audit policy: loaded illegal policy with 0 rules');
  const policy: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: (doc.rules as Record<string, unknown>[]).map((r, i) => ruleOf(r ?? {}, `rules[${i}]`)) };
  const omit = stagesOf(doc.omitStages, 'omitStages');
  if (omit) policy.omitStages = omit;
  if (typeof doc.omitManagedFields === 'boolean') policy.omitManagedFields = doc.omitManagedFields;
  return policy;
}

export function loadPolicy(file: string): Policy {
  try {
    return parsePolicy(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--audit-policy-file ${file}: ${(err as Error).message}`);
  }
}

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.slice(0, -1));
}

function resourceMatches(rule: PolicyRule, attrs: Attributes): boolean {
  if (!attrs.resourceRequest) return false;
  if (rule.namespaces && !rule.namespaces.includes(attrs.namespace)) return false;
  if (!rule.resources || rule.resources.length === 0) return true;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return rule.resources.some((gr) => {
    if ((gr.group ?? '') !== attrs.apiGroup) return false;
    if (!gr.resources || gr.resources.length === 0) return true;
    if (gr.resourceNames && gr.resourceNames.length > 0 && !gr.resourceNames.includes(attrs.name)) return false;
    return gr.resources.some(
      (res) =>
        res === '*' ||
        res === combined ||
        (attrs.subresource !== '' && res === `*/${attrs.subresource}`) ||
        (res.endsWith('/*') && res.slice(0, -2) === attrs.resource),
    );
  });
}

export function ruleMatches(rule: PolicyRule, attrs: Attributes): boolean {
  if (rule.users && !rule.users.includes(attrs.user.username)) return false;
  if (rule.userGroups && !attrs.user.groups.some((g) => rule.userGroups?.includes(g))) return false;
  if (rule.verbs && !rule.verbs.includes(attrs.verb)) return false;
  if (rule.namespaces || rule.resources) return resourceMatches(rule, attrs);
  if (rule.nonResourceURLs) return !attrs.resourceRequest && rule.nonResourceURLs.some((spec) => pathMatches(attrs.path, spec));
  return true;
}

/** The policy's decision for a request, from the first matching rule. */
export function evaluatePolicy(policy: Policy, attrs: Attributes): AuditDecision {
  const rule = policy.rules.find((r) => ruleMatches(r, attrs));
  if (!rule || rule.level === 'None') return NONE;
  return {
    level: rule.level,
    omitStages: new Set([...(policy.omitStages ?? []), ...(rule.omitStages ?? [])]),
    omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false,
  };
}
