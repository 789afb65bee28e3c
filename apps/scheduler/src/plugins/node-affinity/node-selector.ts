// Node selector terms compiled to predicates over a node's labels and name.
//
// Semantics (as in Kubernetes): a term's requirements are ANDed; a term without any requirement
// matches no node; the terms of a required NodeSelector are ORed. Operators: In, NotIn (also
// true without the label), Exists, DoesNotExist, Gt and Lt (integer label values only).
// matchFields supports `metadata.name` with In and NotIn.
import type { NodeSelectorRequirement, NodeSelectorTerm } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export type NodeMatcher = (labels: Readonly<Record<string, string>>, nodeName: string) => boolean;
type RequirementObj = DeepReadonly<NodeSelectorRequirement>;
export type NodeSelectorTermObj = DeepReadonly<NodeSelectorTerm>;

const INTEGER = /^-?\d+$/;
const NAME_FIELD = 'metadata.name';

function compileRequirement(r: RequirementObj): (value: string | undefined) => boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return (v) => v !== undefined && values.includes(v);
    case 'NotIn':
      return (v) => v === undefined || !values.includes(v);
    case 'Exists':
      return (v) => v !== undefined;
    case 'DoesNotExist':
      return (v) => v === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values[0];
      if (values.length !== 1 || bound === undefined || !INTEGER.test(bound)) return () => false;
      const b = Number(bound);
      const gt = r.operator === 'Gt';
      return (v) => v !== undefined && INTEGER.test(v) && (gt ? Number(v) > b : Number(v) < b);
    }
  }
}

export function compileTerm(term: NodeSelectorTermObj): NodeMatcher {
  const labelReqs = (term.matchExpressions ?? []).map((r) => ({ key: r.key, test: compileRequirement(r) }));
  const fieldReqs = (term.matchFields ?? []).map((r) => ({ key: r.key, test: compileRequirement(r) }));
  if (labelReqs.length === 0 && fieldReqs.length === 0) return () => false;
  return (labels, nodeName) => {
    for (const r of labelReqs) if (!r.test(Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
    for (const r of fieldReqs) if (!r.test(r.key === NAME_FIELD ? nodeName : undefined)) return false;
    return true;
  };
}

/** A required NodeSelector: any term matching suffices; no terms matches nothing. */
export function compileTerms(terms: readonly NodeSelectorTermObj[]): NodeMatcher {
  const compiled = terms.map(compileTerm);
  return (labels, name) => compiled.some((m) => m(labels, name));
}

/** A pod's `nodeSelector` map: every label must be present with exactly that value. */
export function compileNodeSelectorMap(selector: Readonly<Record<string, string>>): NodeMatcher {
  const entries = Object.entries(selector);
  return (labels) => entries.every(([k, v]) => labels[k] === v);
}
