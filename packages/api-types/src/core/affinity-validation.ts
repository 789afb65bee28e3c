// Validation of scheduling constraints: node selectors and affinity, pod (anti-)affinity,
// tolerations and topology spread constraints.
import type { StatusCause } from '../meta/v1.js';
import { duplicate, forbidden, invalid, required } from '../validation/causes.js';
import { validateDns1123Label, validateLabelSelector, validatePositive, validateQualifiedName, validateRange } from '../validation/fields.js';
import { checkLabelValue } from '../validation/names.js';
import type { Affinity, NodeSelector, NodeSelectorRequirement, PodAffinityTerm, TopologySpreadConstraint, WeightedPodAffinityTerm } from './affinity.js';
import type { Toleration } from './taint.js';

function validateNodeRequirement(r: NodeSelectorRequirement, path: string, field: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const n = r.values?.length ?? 0;
  if (field) {
    // matchFields supports only metadata.name with In/NotIn and a single value.
    if (r.key !== 'metadata.name') out.push(invalid(`${path}.key`, r.key, 'not a valid field selector key'));
    if (n !== 1) out.push(required(`${path}.values`, 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
    return out;
  }
  out.push(...validateQualifiedName(r.key, `${path}.key`));
  if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) out.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) out.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    if (n !== 1 || !/^-?[0-9]+$/.test(r.values?.[0] ?? '')) out.push(required(`${path}.values`, "must be specified single integer value when `operator` is 'Lt' or 'Gt'"));
  }
  return out;
}

export function validateNodeSelectorTerms(sel: NodeSelector, path: string): StatusCause[] {
  if (sel.nodeSelectorTerms.length === 0) return [required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  const out: StatusCause[] = [];
  sel.nodeSelectorTerms.forEach((t, i) => {
    const f = `${path}.nodeSelectorTerms[${i}]`;
    t.matchExpressions?.forEach((r, j) => out.push(...validateNodeRequirement(r, `${f}.matchExpressions[${j}]`, false)));
    t.matchFields?.forEach((r, j) => out.push(...validateNodeRequirement(r, `${f}.matchFields[${j}]`, true)));
  });
  return out;
}

function validatePodAffinityTerm(t: PodAffinityTerm, path: string): StatusCause[] {
  const out = [...validateLabelSelector(t.labelSelector, `${path}.labelSelector`), ...validateLabelSelector(t.namespaceSelector, `${path}.namespaceSelector`)];
  t.namespaces?.forEach((ns, i) => out.push(...validateDns1123Label(ns, `${path}.namespaces[${i}]`)));
  if (!t.topologyKey) out.push(required(`${path}.topologyKey`, 'can not be empty'));
  else out.push(...validateQualifiedName(t.topologyKey, `${path}.topologyKey`));
  return out;
}

function validateWeighted(terms: WeightedPodAffinityTerm[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  terms?.forEach((w, i) => {
    out.push(...validateRange(w.weight, 1, 100, `${path}[${i}].weight`));
    out.push(...validatePodAffinityTerm(w.podAffinityTerm, `${path}[${i}].podAffinityTerm`));
  });
  return out;
}

export function validateAffinity(a: Affinity | undefined, path: string): StatusCause[] {
  if (!a) return [];
  const out: StatusCause[] = [];
  const na = a.nodeAffinity;
  const req = na?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) out.push(...validateNodeSelectorTerms(req, `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`));
  na?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((p, i) => {
    const f = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    out.push(...validateRange(p.weight, 1, 100, `${f}.weight`));
    p.preference.matchExpressions?.forEach((r, j) => out.push(...validateNodeRequirement(r, `${f}.preference.matchExpressions[${j}]`, false)));
    p.preference.matchFields?.forEach((r, j) => out.push(...validateNodeRequirement(r, `${f}.preference.matchFields[${j}]`, true)));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    const f = `${path}.${kind}`;
    pa?.requiredDuringSchedulingIgnoredDuringExecution?.forEach((t, i) => {
      out.push(...validatePodAffinityTerm(t, `${f}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    });
    out.push(...validateWeighted(pa?.preferredDuringSchedulingIgnoredDuringExecution, `${f}.preferredDuringSchedulingIgnoredDuringExecution`));
  }
  return out;
}

export function validateTolerations(list: Toleration[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  list?.forEach((t, i) => {
    const f = `${path}[${i}]`;
    if (t.key) out.push(...validateQualifiedName(t.key, `${f}.key`));
    else if (t.operator !== 'Exists') {
      out.push(invalid(`${f}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      out.push(invalid(`${f}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (t.operator === 'Exists' && t.value) out.push(invalid(`${f}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (t.operator !== 'Exists' && t.value) out.push(...checkLabelValue(t.value).map((e) => invalid(`${f}.value`, t.value, e)));
  });
  return out;
}

export function validateTopologySpread(list: TopologySpreadConstraint[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const seen = new Set<string>();
  list?.forEach((c, i) => {
    const f = `${path}[${i}]`;
    out.push(...validatePositive(c.maxSkew, `${f}.maxSkew`));
    if (!c.topologyKey) out.push(required(`${f}.topologyKey`, 'can not be empty'));
    else out.push(...validateQualifiedName(c.topologyKey, `${f}.topologyKey`));
    out.push(...validatePositive(c.minDomains, `${f}.minDomains`));
    if (c.minDomains !== undefined && c.whenUnsatisfiable !== 'DoNotSchedule') {
      out.push(invalid(`${f}.minDomains`, c.minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule'));
    }
    out.push(...validateLabelSelector(c.labelSelector, `${f}.labelSelector`));
    const key = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(key)) out.push(duplicate(`${f}`, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    seen.add(key);
  });
  return out;
}
