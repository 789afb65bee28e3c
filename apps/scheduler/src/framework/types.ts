// The object types the scheduler reads. Everything comes from informer caches, so it is shared
// and typed DeepReadonly: the scheduler never mutates a pod or node it did not copy itself.
import type { Node, Pod, Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export type PodObj = DeepReadonly<Pod>;
export type NodeObj = DeepReadonly<Node>;
export type ServiceObj = DeepReadonly<Service>;
export type PodSpecObj = NonNullable<PodObj['spec']>;
export type ContainerObj = PodSpecObj['containers'][number];
export type ResourceListObj = Readonly<Record<string, string | number>>;

/** `namespace/name`: the key of a pod in the cache and the queue. */
export function podKey(pod: PodObj): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
