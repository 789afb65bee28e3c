// Per-kind behaviour on top of the generic REST operations, as Kubernetes' registry strategies:
// what a create resets, what an update may change, how generation moves, and the kinds whose
// deletion is graceful or blocked by finalizers.
import type { KubeObject, ResourceType } from '@kite/api-types';

/** Fields a user-facing update never changes: the server owns them. */
const SERVER_OWNED_META = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

type AnyObject = KubeObject & { spec?: unknown; status?: unknown } & Record<string, unknown>;

/** Everything but metadata and status: a change here bumps `metadata.generation`. */
function specPart(obj: AnyObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/** Kinds with a spec/status split track spec changes in metadata.generation; ConfigMaps do not. */
function tracksGeneration(rt: ResourceType): boolean {
  return rt.subresources.status;
}

export function prepareForCreate(rt: ResourceType, obj: AnyObject): void {
  if (tracksGeneration(rt)) obj.metadata.generation = 1;
  else delete obj.metadata.generation;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.deletionGracePeriodSeconds;
  if (rt.kind === 'Pod') {
    const status = (obj.status ?? {}) as { phase?: string; conditions?: unknown[] };
    status.phase ??= 'Pending';
    obj.status = status;
  }
}

/** An update of the main resource: status comes from the stored object when a status subresource exists. */
export function prepareForUpdate(rt: ResourceType, obj: AnyObject, old: AnyObject): void {
  for (const field of SERVER_OWNED_META) {
    if (old.metadata[field] === undefined) delete obj.metadata[field];
    else (obj.metadata as Record<string, unknown>)[field] = old.metadata[field];
  }
  if (rt.subresources.status) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  if (!tracksGeneration(rt)) {
    delete obj.metadata.generation;
    return;
  }
  const gen = old.metadata.generation ?? 1;
  obj.metadata.generation = specPart(obj) !== specPart(old) ? gen + 1 : gen;
}

/** An update through the status subresource: only status changes. */
export function prepareForStatusUpdate(obj: AnyObject, old: AnyObject): AnyObject {
  const next: AnyObject = { ...old, metadata: { ...old.metadata } };
  if (obj.status === undefined) delete next.status;
  else next.status = obj.status;
  return next;
}

/** Pods are deleted gracefully once they may be running on a node (the kubelet finishes the job). */
export function gracePeriodFor(rt: ResourceType, obj: AnyObject, requested: number | undefined): number {
  if (rt.kind !== 'Pod') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((obj.status ?? {}) as { phase?: string }).phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}

/** Whether an object marked for deletion may go now: no finalizers left and no grace pending. */
export function readyToDelete(obj: AnyObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false;
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (obj.kind === 'Namespace') {
    const spec = (obj.spec ?? {}) as { finalizers?: string[] };
    if ((spec.finalizers ?? []).length > 0) return false;
  }
  return (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0;
}
