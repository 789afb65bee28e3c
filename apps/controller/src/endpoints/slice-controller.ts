// EndpointSlice controller: keeps discovery.k8s.io/v1 EndpointSlices for every selector-bearing
// Service, labelled `kubernetes.io/service-name` and owned by the Service (so the garbage
// collector removes them with it). The proxy reads these.
//
//   Service / pod events → Service keys (as the Endpoints controller)
//   slice events          → the Service named by the slice's label
//   sync(key) → plan (slices.ts) → deletes, updates and creates, all at once.
import { EndpointSliceResource, PodResource, SERVICE_NAME_LABEL, ServiceResource, type EndpointSlice, type Pod, type Service } from '@kite/api-types';
import { mutableCopy, objectKey, splitKey, type DeepReadonly, type IndexFunc, type Indexer, type ResourceClient } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ignoreNotFound, newControllerRef } from '../framework/owners.js';
import { ControllerRunner, type SyncResult } from '../framework/runner.js';
import { serviceBackends } from './backends.js';
import { managesEndpoints, selectedPods, servicesForPod } from './services.js';
import { planSlices, type DesiredSlice } from './slices.js';
import { SliceTracker } from './tracker.js';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice';
export const DEFAULT_ENDPOINTSLICE_WORKERS = 5;
/** Label naming the controller that manages a slice (Kubernetes' value, so tools recognise it). */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Index of our slices by `namespace/service`. */
const SERVICE_INDEX = 'service';

const serviceIndexFunc: IndexFunc<EndpointSlice> = (s) => {
  const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [`${s.metadata.namespace ?? ''}/${svc}`] : [];
};

/** How long a sync waits for its own slice writes to reach the cache before looking again. */
const STALE_RETRY_MS = 50;

interface Deps {
  services: Indexer<Service>;
  pods: Indexer<Pod>;
  sliceStore: Indexer<EndpointSlice>;
  slices: ResourceClient<EndpointSlice>;
  tracker: SliceTracker;
}

export class EndpointSliceController implements Controller {
  readonly name = ENDPOINTSLICE_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const svcInformer = ctx.informers.informer(ServiceResource);
    const podInformer = ctx.informers.informer(PodResource);
    const sliceInformer = ctx.informers.index(EndpointSliceResource, SERVICE_INDEX, serviceIndexFunc);
    const deps: Deps = { services: svcInformer.store, pods: podInformer.store, sliceStore: sliceInformer.store, slices: ctx.client.resource(EndpointSliceResource), tracker: new SliceTracker() };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_ENDPOINTSLICE_WORKERS,
      sync: (key) => syncSlices(deps, key),
      hasSynced: () => svcInformer.hasSynced() && podInformer.hasSynced() && sliceInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (obj: DeepReadonly<Service>) => this.runner.enqueue(objectKey(obj));
    svcInformer.on('add', enqueue).on('update', (_o, s) => enqueue(s)).on('delete', enqueue);
    const onPod = (pod: DeepReadonly<Pod>, old?: DeepReadonly<Pod>) => servicesForPod(svcInformer.store, pod, old).forEach((k) => this.runner.enqueue(k));
    podInformer.on('add', (p) => onPod(p)).on('update', (old, p) => onPod(p, old)).on('delete', (p) => onPod(p));
    const onSlice = (s: DeepReadonly<EndpointSlice>) => serviceIndexFunc(s).forEach((k) => this.runner.enqueue(k));
    sliceInformer.on('add', onSlice).on('update', (_o, s) => onSlice(s)).on('delete', onSlice);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}

async function syncSlices(deps: Deps, key: string): Promise<SyncResult | void> {
  if (deps.tracker.stale(key, deps.sliceStore)) return { requeueAfterMs: STALE_RETRY_MS };
  const existing = deps.sliceStore.byIndex(SERVICE_INDEX, key);
  const svc = deps.services.get(key);
  if (!svc || !managesEndpoints(svc)) {
    await Promise.all(existing.map((s) => deleteSlice(deps, key, s.metadata.namespace ?? '', s.metadata.name ?? '')));
    if (!svc) deps.tracker.forget(key);
    return;
  }
  const namespace = svc.metadata.namespace ?? '';
  const plan = planSlices(existing, serviceBackends(svc, selectedPods(svc, deps.pods)), svc.spec?.publishNotReadyAddresses === true);
  const byName = new Map(existing.map((s) => [s.metadata.name ?? '', s]));
  const write = async (p: Promise<EndpointSlice>) => deps.tracker.written(key, await p);
  await Promise.all([
    ...plan.deletes.map((name) => deleteSlice(deps, key, namespace, name)),
    ...plan.updates.map((u) => {
      const current = byName.get(u.name);
      if (!current) return Promise.resolve();
      const copy = mutableCopy(current);
      copy.endpoints = u.endpoints;
      copy.ports = u.ports;
      return write(deps.slices.update(copy));
    }),
    ...plan.creates.map((c) => write(deps.slices.create(newSlice(svc, c)))),
  ]);
}

async function deleteSlice(deps: Deps, key: string, namespace: string, name: string): Promise<void> {
  await ignoreNotFound(deps.slices.delete(name, { namespace }));
  deps.tracker.deleted(key, namespace, name);
}

function newSlice(svc: DeepReadonly<Service>, desired: DesiredSlice): EndpointSlice {
  const { namespace, name } = splitKey(objectKey(svc));
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${name}-`,
      namespace,
      labels: { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY },
      ownerReferences: [newControllerRef(svc)],
    },
    addressType: 'IPv4',
    endpoints: desired.endpoints,
    ports: desired.ports,
  };
}
