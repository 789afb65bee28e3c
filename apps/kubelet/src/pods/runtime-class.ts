// Which runtime handler runs a pod, as the Kubernetes kubelet's RuntimeClass manager decides it:
// `spec.runtimeClassName` names a RuntimeClass (node.k8s.io/v1), whose `handler` is the runtime;
// without a class, the images decide by the shared rule in @kite/api-types (BRIEF §4): Wasm
// modules run on `wasm`, anything else on `docker`. A hollow node started to accept any pod (as
// kubemark's hollow kubelets do) runs every pod on `hollow`, whatever it asks for.
import { isWasmImage, RUNTIME_DOCKER, RUNTIME_WASM, RuntimeClassResource, type RuntimeClass } from '@kite/api-types';
import { Informer, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import type { RuntimeName } from '@kite/cri';
import type { PodObj } from '../objects.js';

export { isWasmImage };

export const HOLLOW_HANDLER = 'hollow';

export type HandlerLookup = { handler: RuntimeName } | { error: string };

/** The handler a pod without a RuntimeClass runs on: inferred from its images. */
export function inferredHandler(pod: PodObj): RuntimeName {
  const images = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '');
  return images.length > 0 && images.every(isWasmImage) ? RUNTIME_WASM : RUNTIME_DOCKER;
}

/** Resolves a pod's handler from a lookup of RuntimeClasses by name (pure: tests give a Map). */
export function resolveHandler(pod: PodObj, classes: (name: string) => { handler?: string } | undefined, acceptAnyPod = false): HandlerLookup {
  if (acceptAnyPod) return { handler: HOLLOW_HANDLER };
  const name = pod.spec?.runtimeClassName;
  if (!name) return { handler: inferredHandler(pod) };
  const rc = classes(name);
  if (!rc) return { error: `runtimeClass "${name}" not found` };
  if (!rc.handler) return { error: `runtimeClass "${name}" has no handler` };
  return { handler: rc.handler };
}

/** The RuntimeClasses this kubelet knows, kept by an informer (nodes may read them: BRIEF §12). */
export class RuntimeClassManager {
  private readonly informer: Informer<RuntimeClass>;

  constructor(
    client: KubeClient,
    log: Logger,
    private readonly acceptAnyPod = false,
  ) {
    this.informer = new Informer<RuntimeClass>({ client: client.resource(RuntimeClassResource), onError: (err) => log.warn({ err }, 'runtimeclass watch') });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  handlerFor(pod: PodObj): HandlerLookup {
    return resolveHandler(pod, (name) => this.informer.store.get(name), this.acceptAnyPod);
  }
}
