// The PodScheduled=False condition of a pod that could not be placed, as `kubectl get pods -o
// yaml` shows it in Kubernetes: reason Unschedulable (or SchedulerError), message = the
// FailedScheduling message. Written with a strategic merge patch on pods/status keyed by the
// condition type, so other conditions stay untouched and no read-modify-write race occurs; skipped
// when the pod already carries the same condition, so retries do not rewrite it every time.
import type { Pod } from '@kite/api-types';
import type { PatchOptions } from '@kite/client';
import type { PodObj } from '../framework/types.js';

export const CONDITION_POD_SCHEDULED = 'PodScheduled';
export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

export interface PodStatusPatcher {
  patch(name: string, body: unknown, opts: PatchOptions): Promise<Pod>;
}

/** Whether the pod already has PodScheduled=False with this reason and message. */
export function hasCondition(pod: PodObj, reason: string, message: string): boolean {
  const c = pod.status?.conditions?.find((x) => x.type === CONDITION_POD_SCHEDULED);
  return c?.status === 'False' && c.reason === reason && c.message === message;
}

export function unschedulableConditionPatch(reason: string, message: string, now: Date): unknown {
  const lastTransitionTime = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { status: { conditions: [{ type: CONDITION_POD_SCHEDULED, status: 'False', reason, message, lastProbeTime: null, lastTransitionTime }] } };
}

export async function setUnschedulableCondition(client: PodStatusPatcher, pod: PodObj, reason: string, message: string, now = new Date()): Promise<void> {
  if (hasCondition(pod, reason, message)) return;
  await client.patch(pod.metadata.name ?? '', unschedulableConditionPatch(reason, message, now), {
    type: 'strategic',
    subresource: 'status',
    namespace: pod.metadata.namespace,
  });
}
