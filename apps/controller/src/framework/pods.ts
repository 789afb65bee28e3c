// Questions every workload controller asks about a pod: is it active, ready, available, and since
// when. Pure functions of the pod (and the time), shared by ReplicaSet, Deployment, Endpoints and
// node lifecycle, so they all agree on what "ready" means.
import { POD_CONDITIONS, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export type ReadonlyPod = DeepReadonly<Pod>;

/** Not being deleted and not finished: a pod that counts towards its owner's replicas. */
export function isPodActive(pod: ReadonlyPod): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function isPodTerminating(pod: ReadonlyPod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

function readyCondition(pod: ReadonlyPod) {
  return pod.status?.conditions?.find((c) => c.type === POD_CONDITIONS.Ready);
}

export function isPodReady(pod: ReadonlyPod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Epoch milliseconds of the pod's last transition to Ready, or undefined when not ready. */
export function podReadySince(pod: ReadonlyPod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return undefined;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for at least `minReadySeconds`. With 0 every ready pod is available; a ready pod without
 * a transition time counts as available only when no minimum is asked for.
 */
export function isPodAvailable(pod: ReadonlyPod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/**
 * Milliseconds until a ready pod becomes available, for requeueing; undefined when it is not
 * ready or already available.
 */
export function msUntilAvailable(pod: ReadonlyPod, minReadySeconds: number, now: number): number | undefined {
  const since = podReadySince(pod);
  if (since === undefined || minReadySeconds <= 0) return undefined;
  const left = since + minReadySeconds * 1000 - now;
  return left > 0 ? left : undefined;
}

export function podRestarts(pod: ReadonlyPod): number {
  let n = 0;
  for (const c of pod.status?.containerStatuses ?? []) n += c.restartCount ?? 0;
  return n;
}

export function creationTime(obj: { readonly metadata: { readonly creationTimestamp?: string | null } }): number {
  const t = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
