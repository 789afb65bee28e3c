// Emptying a namespace: every namespaced kind the registry serves is deleted as a collection,
// and what is still there afterwards is counted (pods finishing their grace period, objects
// waiting on finalizers). The namespace controller repeats this until nothing is left.
import { allResources, type KubeObject, type ResourceType } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { resourcePath, type KubeClient } from '@kite/client';
import { describe } from '../framework/runner.js';

export interface DeleteResult {
  /** `plural.group` → objects still present. */
  remaining: Map<string, number>;
  /** Kinds whose deletion failed, with the reason. */
  failures: string[];
}

export function namespacedResources(): ResourceType[] {
  return allResources.filter((rt) => rt.namespaced);
}

export function resourceName(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

/** Deletes one kind's objects in `namespace`; returns how many are still there. */
async function deleteKind(client: KubeClient, rt: ResourceType, namespace: string): Promise<number> {
  const res = client.resource<KubeObject>(rt);
  const list = await res.list({ namespace, limit: 1 });
  if (list.items.length === 0) return 0;
  await client.raw('DELETE', resourcePath(rt, { namespace }), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
  const left = await res.listAll({ namespace });
  return left.items.length;
}

export async function deleteNamespaceContent(client: KubeClient, namespace: string): Promise<DeleteResult> {
  const result: DeleteResult = { remaining: new Map(), failures: [] };
  await Promise.all(
    namespacedResources().map(async (rt) => {
      try {
        const n = await deleteKind(client, rt, namespace);
        if (n > 0) result.remaining.set(resourceName(rt), n);
      } catch (err) {
        result.failures.push(`${resourceName(rt)}: ${describe(err)}`);
      }
    }),
  );
  return result;
}
