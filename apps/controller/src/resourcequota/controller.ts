// The resource quota controller (pkg/controller/resourcequota): keeps every ResourceQuota's
// `status.hard` equal to its spec and `status.used` equal to what its namespace really holds, so
// room that the admission plugin charged comes back when objects go (or when a charged create
// failed afterwards). Level-triggered: the queue holds namespaces; a quota change or a pod, Service,
// ConfigMap, Secret or PVC change in a namespace re-counts that namespace's quotas from the caches.
//
//   sync(ns) → for each quota in ns: used = Σ usage of the tracked objects (usage.ts)
//            → write status when hard or used differ from what is stored
import {
  ConfigMapResource,
  PersistentVolumeClaimResource,
  PodResource,
  ResourceQuotaResource,
  SecretResource,
  ServiceResource,
  type KubeObject,
  type ResourceQuota,
  type ResourceType,
} from '@kite/api-types';
import { mutableCopy, type DeepReadonly, type Indexer, type KubeClient } from '@kite/client';
import { semanticJson } from '../framework/canonical.js';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ignoreNotFound } from '../framework/owners.js';
import { ControllerRunner } from '../framework/runner.js';
import { usedIn, type TrackedKind } from './usage.js';

export const RESOURCE_QUOTA_CONTROLLER = 'resourcequota';
/** Kubernetes' --concurrent-resource-quota-syncs. */
export const DEFAULT_QUOTA_WORKERS = 5;

interface Deps {
  quotas: Indexer<ResourceQuota>;
  kinds: TrackedKind[];
  client: KubeClient;
}

export class ResourceQuotaController implements Controller {
  readonly name = RESOURCE_QUOTA_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const quotaInformer = ctx.informers.informer(ResourceQuotaResource);
    const tracked = [PodResource, ServiceResource, ConfigMapResource, SecretResource, PersistentVolumeClaimResource] as unknown as ResourceType[];
    const kinds: TrackedKind[] = tracked.map((rt) => {
      const informer = ctx.informers.informer(rt);
      informer.on('add', (o) => this.enqueue(o)).on('update', (_old, o) => this.enqueue(o)).on('delete', (o) => this.enqueue(o));
      return { rt, store: informer.store, hasSynced: () => informer.hasSynced() };
    });
    const deps: Deps = { quotas: quotaInformer.store, kinds, client: ctx.client };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_QUOTA_WORKERS,
      sync: (ns) => syncNamespace(deps, ns),
      hasSynced: () => quotaInformer.hasSynced() && kinds.every((k) => k.hasSynced()),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    quotaInformer.on('add', (q) => this.enqueue(q)).on('update', (_o, q) => this.enqueue(q));
  }

  private enqueue(obj: DeepReadonly<KubeObject>): void {
    if (obj.metadata.namespace) this.runner.enqueue(obj.metadata.namespace);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}

async function syncNamespace(deps: Deps, namespace: string): Promise<void> {
  const quotas = deps.quotas.list().filter((q) => q.metadata.namespace === namespace);
  for (const quota of quotas) {
    const hard = { ...(quota.spec?.hard ?? {}) };
    const used = usedIn(deps.kinds, namespace, quota);
    const status = { hard, used };
    if (semanticJson(status) === semanticJson({ hard: quota.status?.hard ?? {}, used: quota.status?.used ?? {} })) continue;
    const copy = mutableCopy(quota);
    copy.status = status;
    // Pinned to the cached version: a concurrent charge by the admission plugin wins and we re-count.
    await ignoreNotFound(deps.client.resource(ResourceQuotaResource).updateStatus(copy));
  }
}
