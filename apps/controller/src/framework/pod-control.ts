// PodControl: how workload controllers create and delete pods — the seam tests replace with a
// fake, and the one place that turns a pod template into a pod.
//
// Contract:
// - `podFromTemplate` copies the template's labels, annotations, finalizers and spec (a deep copy:
//   the template may come from a cache), names the pod `OWNERNAME-xxxxx` through generateName and
//   sets a controller ownerReference to the owner.
// - `deletePod` carries a uid precondition, so a pod deleted and re-created under the same name
//   meanwhile is never hit by mistake; a pod already gone resolves normally.
import { PodResource, type OwnerReference, type Pod, type PodTemplateSpec } from '@kite/api-types';
import type { DeepReadonly, KubeClient, ResourceClient } from '@kite/client';
import { ignoreNotFound } from './owners.js';

export interface PodControl {
  createPod(namespace: string, pod: Pod): Promise<Pod>;
  /** Resolves false when the pod was already gone. */
  deletePod(namespace: string, name: string, uid?: string): Promise<boolean>;
}

export class ApiPodControl implements PodControl {
  private readonly pods: ResourceClient<Pod>;

  constructor(client: KubeClient) {
    this.pods = client.resource(PodResource);
  }

  createPod(namespace: string, pod: Pod): Promise<Pod> {
    return this.pods.create(pod, { namespace });
  }

  deletePod(namespace: string, name: string, uid?: string): Promise<boolean> {
    return ignoreNotFound(this.pods.delete(name, { namespace, preconditions: uid ? { uid } : undefined }));
  }
}

/** Longest generateName prefix: the apiserver appends 5 random characters to a 63-char limit. */
const MAX_GENERATE_NAME_PREFIX = 58;

export function podFromTemplate(template: DeepReadonly<PodTemplateSpec> | undefined, ownerName: string, namespace: string, ref: OwnerReference): Pod {
  const t = structuredClone(template ?? {}) as PodTemplateSpec;
  const meta = t.metadata ?? {};
  const prefix = `${ownerName}-`.slice(0, MAX_GENERATE_NAME_PREFIX);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: prefix,
      namespace,
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [ref],
    },
    spec: t.spec ?? { containers: [] },
  };
}
