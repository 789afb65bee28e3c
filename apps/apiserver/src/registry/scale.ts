// The `scale` subresource (autoscaling/v1 Scale) of kinds that declare one: reads replicas and the
// selector from the object, and writes spec.replicas back with the object's resourceVersion rules.
import type { KubeObject, LabelSelector } from '@kite/api-types';
import { applyPatchByContentType, badRequest, invalid, labelSelectorToString } from '@kite/apimachinery';
import type { RestStorage } from './rest.js';
import type { RequestScope } from './scope.js';

export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}

export function scaleOf(scope: RequestScope, obj: KubeObject): Scale {
  const sub = scope.rt.subresources.scale;
  if (!sub) throw badRequest(`${scope.rt.plural} has no scale subresource`);
  const selector = at(obj, sub.labelSelectorPath);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(at(obj, sub.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(at(obj, sub.statusReplicasPath) ?? 0),
      selector: typeof selector === 'string' ? selector : labelSelectorToString(selector as LabelSelector | undefined),
    },
  };
}

function replicasOf(scale: unknown, name: string): number {
  const replicas = at(scale, 'spec.replicas');
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
    ]);
  }
  return replicas;
}

function setReplicas(scope: RequestScope, obj: KubeObject, replicas: number): KubeObject {
  const path = scope.rt.subresources.scale?.specReplicasPath ?? 'spec.replicas';
  const keys = path.split('.');
  let cur = obj as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[keys[keys.length - 1] as string] = replicas;
  return obj;
}

export async function getScale(rest: RestStorage, scope: RequestScope, name: string): Promise<Scale> {
  return scaleOf(scope, await rest.get(scope, name));
}

/** PUT of a Scale; a resourceVersion in it must match the object's. */
export async function updateScale(rest: RestStorage, scope: RequestScope, name: string, body: unknown): Promise<Scale> {
  const replicas = replicasOf(body, name);
  const pinned = at(body, 'metadata.resourceVersion');
  const updated = await rest.guaranteedUpdate(
    { ...scope, subresource: undefined },
    name,
    (current) => rest.applyUpdate({ ...scope, subresource: undefined }, setReplicas(scope, structuredClone(current), replicas) as typeof current, current),
    typeof pinned === 'string' && pinned ? { pinnedRv: pinned } : {},
  );
  return scaleOf(scope, updated);
}

/** PATCH of a Scale (what `kubectl scale` sends). */
export async function patchScale(rest: RestStorage, scope: RequestScope, name: string, contentType: string, patch: unknown): Promise<Scale> {
  const mainScope = { ...scope, subresource: undefined };
  const updated = await rest.guaranteedUpdate(mainScope, name, async (current) => {
    const patched = applyPatchByContentType(contentType, scaleOf(scope, current), patch, {});
    return rest.applyUpdate(mainScope, setReplicas(scope, structuredClone(current), replicasOf(patched, name)) as typeof current, current);
  });
  return scaleOf(scope, updated);
}
