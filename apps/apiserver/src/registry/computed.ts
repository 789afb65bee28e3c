// Read-only computed kinds (registry entries with `readOnly`, such as metrics.k8s.io NodeMetrics
// and PodMetrics): answered from live data on every request, never stored, so only `get` and
// `list` exist. Kubernetes serves such kinds from a REST storage that implements only Getter and
// Lister (metrics-server's pkg/api); this is that storage's interface, and the request dispatch
// to it: a watch or any write is 405 MethodNotAllowed.
import type { KubeList, KubeObject, ResourceType } from '@kite/api-types';
import { methodNotAllowed } from '@kite/apimachinery';
import type { Predicate } from './selection.js';
import { buildPredicate } from './selection.js';
import { groupResource } from './scope.js';

export interface ComputedStorage {
  /** One object; throws a NotFound ApiError when there is no data for it. */
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject;
  /** Every object in `namespace` (all namespaces when undefined) that `predicate` admits. */
  list(rt: ResourceType, namespace: string | undefined, predicate: Predicate | undefined): KubeList<KubeObject>;
}

export interface ComputedRequest {
  method: string;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  watch: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

export type ComputedAnswer = { object: KubeObject } | { list: KubeList<KubeObject> };

export function serveComputed(req: ComputedRequest, storage: ComputedStorage): ComputedAnswer {
  const gr = groupResource(req.rt);
  if (req.method !== 'GET') throw methodNotAllowed(gr, req.method.toLowerCase());
  if (req.watch) throw methodNotAllowed(gr, 'watch');
  if (req.name !== undefined) return { object: storage.get(req.rt, req.namespace, req.name) };
  return { list: storage.list(req.rt, req.namespace, buildPredicate(req.rt, req.labelSelector, req.fieldSelector)) };
}
