// The pods `binding` subresource: how the scheduler assigns a pod to a node. A pod is bound once;
// binding an assigned pod is a 409, as in Kubernetes.
import type { KubeObject } from '@kite/api-types';
import { badRequest, conflict } from '@kite/apimachinery';
import { now } from './meta.js';
import type { RestStorage } from './rest.js';
import { groupResource, type RequestScope } from './scope.js';

interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string; lastProbeTime?: string | null; reason?: string; message?: string }> };
}

export async function bindPod(rest: RestStorage, scope: RequestScope, name: string, body: unknown): Promise<void> {
  const target = (body as { target?: { name?: unknown; kind?: unknown } } | null)?.target;
  if (!target || typeof target.name !== 'string' || target.name === '') throw badRequest('binding target.name is required');
  if (target.kind !== undefined && target.kind !== 'Node') throw badRequest(`binding target kind must be Node, got ${String(target.kind)}`);
  const nodeName = target.name;
  const podScope = { ...scope, subresource: undefined };
  await rest.guaranteedUpdate(podScope, name, (current) => {
    const pod = current as PodLike;
    if (pod.metadata.deletionTimestamp) throw conflict(groupResource(scope.rt), name, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec?.nodeName) throw conflict(groupResource(scope.rt), name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...(pod.spec ?? {}), nodeName };
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() });
    pod.status = { ...(pod.status ?? {}), conditions };
    return current;
  });
}
