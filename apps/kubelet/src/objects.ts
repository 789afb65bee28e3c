// API objects as the kubelet sees them. Pods come from the pod informer's cache, which shares one
// object per pod with every reader: they are typed deeply readonly and never written to (the
// kubelet keeps what it learns in its own records, pods/records.ts, and sends status as a patch).
import type { Container, Pod, Probe } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export type PodObj = DeepReadonly<Pod>;
export type ContainerObj = DeepReadonly<Container>;
export type ProbeObj = DeepReadonly<Probe>;
