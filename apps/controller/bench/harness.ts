// What the hollow-cluster benchmarks share: the bench Deployment and when it is complete, a fresh
// namespace per measurement and its clean-up, timing a POST until a condition, and medians.
import { DeploymentResource, NamespaceResource, PodResource, type Deployment } from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import { waitForDeployment } from './watch.js';

/** A Deployment of `replicas` one-container pods (hollow nodes run anything), labelled app=bench. */
export function benchDeployment(namespace: string, replicas: number, name = 'bench'): Deployment {
  const labels = { app: 'bench' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'hello.wasm' }] } } },
  };
}

/** Rolled out: the latest generation observed, and all `replicas` updated, available and counted. */
export const deploymentComplete = (replicas: number) => (d: Deployment) => {
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
};

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.resource(NamespaceResource).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Deletes a run's namespace and waits until its pods are gone, so measurements do not overlap. */
export async function cleanUp(client: KubeClient, namespace: string, timeoutMs: number): Promise<void> {
  await client.resource(NamespaceResource).delete(namespace);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const left = await client.resource(PodResource).list({ namespace, limit: 1 });
    if (left.items.length === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`namespace ${namespace} still has pods after ${timeoutMs} ms`);
}

/** Milliseconds from `act` (e.g. a POST) until `wait` resolves; the wait (a watch) starts first. */
export async function timeUntil(act: () => Promise<unknown>, wait: () => Promise<void>): Promise<number> {
  const start = performance.now();
  const waiting = wait();
  // Should the act fail, the wait's rejection (its timeout) must not go unhandled.
  waiting.catch(() => undefined);
  await act();
  await waiting;
  return performance.now() - start;
}

/** POST of the bench Deployment until all `replicas` are available, in ms. */
export function deploymentReadyMs(client: KubeClient, namespace: string, replicas: number, timeoutMs: number): Promise<number> {
  return timeUntil(
    () => client.resource(DeploymentResource).create(benchDeployment(namespace, replicas)),
    () => waitForDeployment(client, namespace, 'bench', deploymentComplete(replicas), timeoutMs),
  );
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
