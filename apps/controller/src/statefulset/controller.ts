// StatefulSet controller: wiring. Informer events become StatefulSet keys in the queue; the
// runner's workers call syncStatefulSet (sync.ts) for each.
//
// Event rules:
// - A StatefulSet added, changed or deleted → its key (deleted: also drop its expectations).
// - A pod with a StatefulSet controller reference → that set, after ticking off the matching
//   creation (pod added) or deletion (deletionTimestamp newly set, or pod gone) expectation.
// - An orphan pod → every StatefulSet in its namespace whose selector matches it.
// - A ControllerRevision → the set controlling it.
import { ControllerRevisionResource, PersistentVolumeClaimResource, PodResource, StatefulSetResource, type ControllerRevision, type Pod, type StatefulSet } from '@kite/api-types';
import { objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { Expectations } from '../framework/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { ApiPodControl, type PodControl } from '../framework/pod-control.js';
import { ownedPodHandlers } from '../framework/owned-pods.js';
import { ControllerRunner } from '../framework/runner.js';
import { syncStatefulSet, type StatefulSetSyncDeps } from './sync.js';

export const STATEFULSET_CONTROLLER = 'statefulset';
/** Concurrent syncs (Kubernetes' --concurrent-statefulset-syncs). */
export const DEFAULT_STATEFULSET_WORKERS = 5;

export interface StatefulSetControllerOptions {
  workers?: number;
  podControl?: PodControl;
}

type ReadonlyPod = DeepReadonly<Pod>;

export class StatefulSetController implements Controller {
  readonly name = STATEFULSET_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly setStore: Indexer<StatefulSet>;
  private readonly deps: StatefulSetSyncDeps;

  constructor(ctx: ControllerContext, opts: StatefulSetControllerOptions = {}) {
    const setInformer = ctx.informers.informer(StatefulSetResource);
    const podInformer = ctx.informers.index(PodResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(PodResource, ORPHAN_INDEX, orphanIndexFunc);
    const revInformer = ctx.informers.index(ControllerRevisionResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(ControllerRevisionResource, ORPHAN_INDEX, orphanIndexFunc);
    const claimInformer = ctx.informers.informer(PersistentVolumeClaimResource);
    this.setStore = setInformer.store;
    this.deps = {
      setStore: setInformer.store,
      podStore: podInformer.store,
      claimStore: claimInformer.store,
      revisionStore: revInformer.store,
      sets: ctx.client.resource(StatefulSetResource),
      pods: ctx.client.resource(PodResource),
      claims: ctx.client.resource(PersistentVolumeClaimResource),
      revisions: ctx.client.resource(ControllerRevisionResource),
      podControl: opts.podControl ?? new ApiPodControl(ctx.client),
      creations: new Expectations(),
      deletions: new Expectations(),
      recorder: ctx.recorder,
      now: ctx.now,
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_STATEFULSET_WORKERS,
      sync: (key) => syncStatefulSet(this.deps, key),
      hasSynced: () => setInformer.hasSynced() && podInformer.hasSynced() && revInformer.hasSynced() && claimInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    setInformer
      .on('add', (set) => this.runner.enqueue(objectKey(set)))
      .on('update', (_old, set) => this.runner.enqueue(objectKey(set)))
      .on('delete', (set) => this.setDeleted(set));
    const podEvents = ownedPodHandlers({ kind: StatefulSetResource.kind, owners: this.setStore, creations: this.deps.creations, deletions: this.deps.deletions, enqueue: (key) => this.runner.enqueue(key) });
    podInformer.on('add', podEvents.add).on('update', podEvents.update).on('delete', podEvents.delete);
    const revisionChanged = (cr: DeepReadonly<ControllerRevision>) => {
      const set = this.owner(cr);
      if (set) this.runner.enqueue(objectKey(set));
    };
    revInformer.on('add', revisionChanged).on('update', (_old, cr) => revisionChanged(cr)).on('delete', revisionChanged);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private setDeleted(set: DeepReadonly<StatefulSet>): void {
    const key = objectKey(set);
    this.deps.creations.forget(key);
    this.deps.deletions.forget(key);
    this.runner.enqueue(key);
  }

  private owner(obj: ReadonlyPod | DeepReadonly<ControllerRevision>): DeepReadonly<StatefulSet> | undefined {
    return resolveControllerRef(obj, StatefulSetResource.kind, this.setStore);
  }



}
