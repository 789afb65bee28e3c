// Turns a list or watch request's labelSelector and fieldSelector into one predicate, rejecting
// field labels the kind does not support with 400, as Kubernetes does.
import type { KubeObject, ResourceType } from '@kite/api-types';
import { badRequest, parseFieldSelector, parseSelector } from '@kite/apimachinery';

export type Predicate = (obj: KubeObject) => boolean;

function fieldGetter(rt: ResourceType, field: string): ((obj: KubeObject) => string | undefined) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
  return rt.fieldSelectors[field];
}

export function buildPredicate(rt: ResourceType, labelSelector?: string, fieldSelector?: string): Predicate | undefined {
  const labels = labelSelector ? parseSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  const getters = new Map<string, (obj: KubeObject) => string | undefined>();
  for (const f of fields?.fields() ?? []) {
    const g = fieldGetter(rt, f);
    if (!g) throw badRequest(`field label not supported: ${f}`);
    getters.set(f, g);
  }
  const labelsEmpty = !labels || labels.isEmpty();
  if (labelsEmpty && !fields) return undefined;
  return (obj) => {
    if (labels && !labelsEmpty && !labels.matches(obj.metadata.labels ?? {})) return false;
    if (fields && !fields.matches((f) => getters.get(f)?.(obj))) return false;
    return true;
  };
}
