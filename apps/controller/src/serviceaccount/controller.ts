// The ServiceAccount controller (pkg/controller/serviceaccount): every active namespace has a
// `default` ServiceAccount; one deleted is made again. The queue holds namespace names.
import { NamespaceResource, ServiceAccountResource, type Namespace } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import type { DeepReadonly, Indexer, KubeClient } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ControllerRunner } from '../framework/runner.js';

export const SERVICE_ACCOUNT_CONTROLLER = 'serviceaccount';
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Kubernetes' --concurrent-serviceaccount-token-syncs default. */
const WORKERS = 5;

interface Deps {
  namespaces: Indexer<Namespace>;
  accounts: Indexer<{ metadata: { name?: string; namespace?: string } } & object>;
  client: KubeClient;
}

export class ServiceAccountController implements Controller {
  readonly name = SERVICE_ACCOUNT_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext) {
    const namespaces = ctx.informers.informer(NamespaceResource);
    const accounts = ctx.informers.informer(ServiceAccountResource);
    const deps: Deps = { namespaces: namespaces.store, accounts: accounts.store as never, client: ctx.client };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: WORKERS,
      sync: (ns) => syncNamespace(deps, ns),
      hasSynced: () => namespaces.hasSynced() && accounts.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const byNamespace = (ns: DeepReadonly<Namespace>) => this.runner.enqueue(ns.metadata.name ?? '');
    namespaces.on('add', byNamespace).on('update', (_o, ns) => byNamespace(ns));
    accounts.on('delete', (sa) => this.runner.enqueue(sa.metadata.namespace ?? ''));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}

async function syncNamespace(deps: Deps, name: string): Promise<void> {
  const ns = deps.namespaces.get(name);
  if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
  if (deps.accounts.get(`${name}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
  try {
    await deps.client.resource(ServiceAccountResource).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
