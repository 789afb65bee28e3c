// The two pod lists of the kubelet API, built as Kubernetes' kubelet builds them:
// - /pods: the pods bound to this node, as the kubelet's pod manager (here the informer) holds
//   them, each with the status this kubelet last computed and sent (the apiserver's copy until
//   then), so a caller sees what the node thinks even while a status write is in flight.
// - /runningpods/: what the runtimes actually run, read from them now: every ready sandbox (and
//   every sandbox with a running container) as a pod carrying only name, namespace and uid from
//   the sandbox config, and its running containers with name and image. It shows a pod the
//   apiserver no longer knows for as long as its containers still run.
import type { Pod, PodStatus } from '@kite/api-types';
import { mutableCopy, type DeepReadonly } from '@kite/client';
import type { ContainerStatus, PodSandboxStatus, RuntimeService } from '@kite/cri';

export interface PodList {
  apiVersion: 'v1';
  kind: 'PodList';
  metadata: Record<string, never>;
  items: Pod[];
}

export function podList(items: Pod[]): PodList {
  return { apiVersion: 'v1', kind: 'PodList', metadata: {}, items };
}

/** The assigned pods, copied, with the last status this kubelet computed where it has one. */
export function assignedPods(pods: readonly DeepReadonly<Pod>[], lastStatus: (uid: string) => PodStatus | undefined): Pod[] {
  return pods.map((cached) => {
    const pod: Pod = mutableCopy(cached);
    const status = lastStatus(pod.metadata.uid ?? '');
    return status ? { ...pod, status } : pod;
  });
}

/** The pods the runtimes run right now, sorted by namespace and name. */
export async function runningPods(runtimes: Iterable<RuntimeService>): Promise<Pod[]> {
  const out: Pod[] = [];
  for (const runtime of runtimes) {
    const [sandboxes, containers] = await Promise.all([runtime.listPodSandboxes(), runtime.listContainers({ state: 'running' })]);
    for (const sandbox of sandboxes) {
      const mine = containers.filter((c) => c.sandboxId === sandbox.id);
      if (sandbox.state === 'ready' || mine.length > 0) out.push(runtimePod(sandbox, mine));
    }
  }
  return out.sort((a, b) => key(a).localeCompare(key(b)));
}

function runtimePod(sandbox: PodSandboxStatus, containers: ContainerStatus[]): Pod {
  const { name, namespace, uid } = sandbox.config;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid },
    spec: { containers: containers.map((c) => ({ name: c.name, image: c.image })) },
  };
}

const key = (p: Pod): string => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
