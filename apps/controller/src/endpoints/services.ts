// Which Services a pod belongs to, and which pods a Service selects — the lookups both endpoint
// controllers make from their informer handlers and syncs.
//
// - A Service without a selector has no managed endpoints (its Endpoints are the user's).
// - ExternalName Services have no endpoints.
// - A pod update that changes nothing the endpoints show (endpointRelevantState) triggers nothing,
//   so status chatter such as container restarts does not cost syncs.
import type { Pod, Service } from '@kite/api-types';
import { selectorFromSet } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import { endpointRelevantState } from './backends.js';

type ReadonlyService = DeepReadonly<Service>;
type ReadonlyPod = DeepReadonly<Pod>;

export function managesEndpoints(svc: ReadonlyService): boolean {
  return svc.spec?.selector !== undefined && svc.spec.type !== 'ExternalName';
}

export function selects(svc: ReadonlyService, pod: ReadonlyPod): boolean {
  if (!managesEndpoints(svc)) return false;
  return selectorFromSet(svc.spec?.selector).matches(pod.metadata.labels);
}

/** Pods of the Service's namespace its selector matches. */
export function selectedPods(svc: ReadonlyService, pods: Indexer<Pod>): ReadonlyPod[] {
  const selector = selectorFromSet(svc.spec?.selector);
  return pods.byIndex(NAMESPACE_INDEX, svc.metadata.namespace ?? '').filter((p) => selector.matches(p.metadata.labels));
}

/** Keys of the Services that select `pod` (or selected `old`, its previous state). */
export function servicesForPod(services: Indexer<Service>, pod: ReadonlyPod, old?: ReadonlyPod): string[] {
  if (old && old.metadata.resourceVersion !== pod.metadata.resourceVersion && endpointRelevantState(old) === endpointRelevantState(pod)) return [];
  const keys = new Set<string>();
  for (const svc of services.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
    if (selects(svc, pod) || (old && selects(svc, old))) keys.add(objectKey(svc));
  }
  return [...keys];
}
