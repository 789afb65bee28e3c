// DeploymentCatalog: the Deployments the activator may scale, from one list-then-watch of every
// Deployment (BRIEF §3), indexed by namespace. The activator reads it when a request arrives for
// a Service without ready endpoints; nothing else in the proxy looks at Deployments.
//
// Contract:
// - `start()` resolves once the cache has synced; `stop()` ends the watch.
// - `targetFor(service)` is the Deployment to scale up for that Service (match.ts), or undefined.
// - Cached objects are DeepReadonly: never mutated.
import { DeploymentResource, type Deployment, type Service } from '@kite/api-types';
import { Informer, NAMESPACE_INDEX, namespaceIndexFunc, type DeepReadonly, type InformerPhase, type KubeClient } from '@kite/client';
import { activationTarget } from './match.js';

/** What the activator reads: the catalog's interface, which a test can implement with a list. */
export interface DeploymentLookup {
  targetFor(service: DeepReadonly<Service>): DeepReadonly<Deployment> | undefined;
}

export class DeploymentCatalog implements DeploymentLookup {
  private readonly informer: Informer<Deployment>;

  constructor(opts: { client: KubeClient; onError?: (err: unknown, phase: InformerPhase) => void }) {
    this.informer = new Informer({ client: opts.client.resource(DeploymentResource), onError: opts.onError });
    this.informer.store.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  hasSynced(): boolean {
    return this.informer.hasSynced();
  }

  targetFor(service: DeepReadonly<Service>): DeepReadonly<Deployment> | undefined {
    return activationTarget(service, this.informer.store.byIndex(NAMESPACE_INDEX, service.metadata.namespace ?? ''));
  }
}
