// Waits for an object's condition through a watch (not polling, so the benchmark's own
// requests stay out of the counts), bounded by a timeout.
import { DeploymentResource, type Deployment, type KubeObject, type ResourceType } from '@kite/api-types';
import type { KubeClient } from '@kite/client';

export async function waitForObject<T extends KubeObject>(client: KubeClient, rt: ResourceType<T>, namespace: string, name: string, done: (o: T) => boolean, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`timed out after ${timeoutMs} ms waiting for ${rt.kind} ${namespace}/${name}`)), timeoutMs);
  try {
    // A watch the server ends (timeout, restart) is simply started again: without a
    // resourceVersion it begins with the object's current state.
    while (!abort.signal.aborted) {
      const stream = client.resource(rt).watch({ namespace, fieldSelector: `metadata.name=${name}`, signal: abort.signal });
      for await (const ev of stream) {
        if (ev.type !== 'BOOKMARK' && ev.type !== 'DELETED' && done(ev.object)) return;
      }
    }
    throw abort.signal.reason;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

export function waitForDeployment(client: KubeClient, namespace: string, name: string, done: (d: Deployment) => boolean, timeoutMs: number): Promise<void> {
  return waitForObject(client, DeploymentResource, namespace, name, done, timeoutMs);
}
