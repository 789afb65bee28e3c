// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): every active namespace
// has a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA (`--root-ca-file`), which
// the ServiceAccount admission plugin projects into every pod beside its token. A ConfigMap
// changed or deleted by someone is put back.
import { ConfigMapResource, NamespaceResource, type ConfigMap, type Namespace } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import { mutableCopy, type DeepReadonly, type Indexer, type KubeClient } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ignoreNotFound } from '../framework/owners.js';
import { ControllerRunner } from '../framework/runner.js';

export const ROOT_CA_PUBLISHER = 'root-ca-cert-publisher';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** The annotation Kubernetes sets on it: kubelets may use it to check the CA's origin. */
const DESCRIPTION = 'kubernetes.io/description';
const DESCRIPTION_TEXT =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

interface Deps {
  namespaces: Indexer<Namespace>;
  configMaps: Indexer<ConfigMap>;
  client: KubeClient;
  ca: string;
}

export class RootCaPublisher implements Controller {
  readonly name = ROOT_CA_PUBLISHER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, ca: string) {
    const namespaces = ctx.informers.informer(NamespaceResource);
    const configMaps = ctx.informers.informer(ConfigMapResource);
    const deps: Deps = { namespaces: namespaces.store, configMaps: configMaps.store, client: ctx.client, ca };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: 1,
      sync: (ns) => syncNamespace(deps, ns),
      hasSynced: () => namespaces.hasSynced() && configMaps.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    namespaces.on('add', (ns) => this.runner.enqueue(ns.metadata.name ?? '')).on('update', (_o, ns) => this.runner.enqueue(ns.metadata.name ?? ''));
    const mine = (cm: DeepReadonly<ConfigMap>) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) this.runner.enqueue(cm.metadata.namespace ?? '');
    };
    configMaps.on('update', (_o, cm) => mine(cm)).on('delete', mine);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}

async function syncNamespace(deps: Deps, name: string): Promise<void> {
  if (!deps.ca) return;
  const ns = deps.namespaces.get(name);
  if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
  const current = deps.configMaps.get(`${name}/${ROOT_CA_CONFIGMAP}`);
  const configMaps = deps.client.resource(ConfigMapResource);
  if (!current) {
    try {
      await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: name, annotations: { [DESCRIPTION]: DESCRIPTION_TEXT } }, data: { 'ca.crt': deps.ca } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return;
  }
  if (current.data?.['ca.crt'] === deps.ca && Object.keys(current.data).length === 1) return;
  const copy = mutableCopy(current);
  copy.data = { 'ca.crt': deps.ca };
  await ignoreNotFound(configMaps.update(copy));
}
