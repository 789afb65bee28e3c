// DaemonSet controller: wiring. Informer events become DaemonSet keys in the queue; the runner's
// workers call syncDaemonSet (sync.ts) for each.
//
// Event rules:
// - A DaemonSet added, changed or deleted → its key (deleted: also drop its expectations and
//   back-offs).
// - A node added or deleted, or changed in what placement reads (labels, taints, unschedulable)
//   → every DaemonSet: each decides for itself whether the node is one of its own.
// - A pod with a DaemonSet controller reference → that DaemonSet, after ticking off the matching
//   creation (pod added) or deletion (deletionTimestamp newly set, or pod gone) expectation;
//   an update changing nothing the sync reads (IPs, container details) → none.
// - An orphan pod → every DaemonSet in its namespace whose selector matches it (one may adopt it).
// - A ControllerRevision → the DaemonSet controlling it.
import { ControllerRevisionResource, DaemonSetResource, NodeResource, PodResource, type ControllerRevision, type DaemonSet, type Node, type Pod } from '@kite/api-types';
import { objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { Expectations } from '../framework/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { controllerRefOf } from '../framework/owners.js';
import { ApiPodControl, type PodControl } from '../framework/pod-control.js';
import { isPodReady, podReadySince } from '../framework/pods.js';
import { ownedPodHandlers } from '../framework/owned-pods.js';
import { ControllerRunner } from '../framework/runner.js';
import { FailedPodBackoff } from './backoff.js';
import { syncDaemonSet, type DaemonSetSyncDeps } from './sync.js';

export const DAEMONSET_CONTROLLER = 'daemonset';
/** Concurrent syncs (Kubernetes' --concurrent-daemonset-syncs). */
export const DEFAULT_DAEMONSET_WORKERS = 2;

export interface DaemonSetControllerOptions {
  workers?: number;
  podControl?: PodControl;
}

type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyNode = DeepReadonly<Node>;

/** What of a pod its DaemonSet's sync reads: ownership, labels, node, phase, readiness. */
function podState(pod: ReadonlyPod): string {
  return JSON.stringify([pod.metadata.labels ?? {}, controllerRefOf(pod)?.uid, pod.spec?.nodeName, pod.status?.phase, podReadySince(pod) ?? isPodReady(pod)]);
}

/** What of a node placement reads. */
function nodeState(node: ReadonlyNode): string {
  return JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? [], node.spec?.unschedulable ?? false]);
}

export class DaemonSetController implements Controller {
  readonly name = DAEMONSET_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly dsStore: Indexer<DaemonSet>;
  private readonly deps: DaemonSetSyncDeps;

  constructor(ctx: ControllerContext, opts: DaemonSetControllerOptions = {}) {
    const dsInformer = ctx.informers.informer(DaemonSetResource);
    const nodeInformer = ctx.informers.informer(NodeResource);
    const podInformer = ctx.informers.index(PodResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(PodResource, ORPHAN_INDEX, orphanIndexFunc);
    const revInformer = ctx.informers.index(ControllerRevisionResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(ControllerRevisionResource, ORPHAN_INDEX, orphanIndexFunc);
    this.dsStore = dsInformer.store;
    this.deps = {
      daemonSetStore: dsInformer.store,
      podStore: podInformer.store,
      nodeStore: nodeInformer.store,
      revisionStore: revInformer.store,
      daemonSets: ctx.client.resource(DaemonSetResource),
      pods: ctx.client.resource(PodResource),
      revisions: ctx.client.resource(ControllerRevisionResource),
      podControl: opts.podControl ?? new ApiPodControl(ctx.client),
      creations: new Expectations(),
      deletions: new Expectations(),
      recorder: ctx.recorder,
      backoff: new FailedPodBackoff(ctx.now),
      now: ctx.now,
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_DAEMONSET_WORKERS,
      sync: (key) => syncDaemonSet(this.deps, key),
      hasSynced: () => dsInformer.hasSynced() && nodeInformer.hasSynced() && podInformer.hasSynced() && revInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    dsInformer
      .on('add', (ds) => this.runner.enqueue(objectKey(ds)))
      .on('update', (_old, ds) => this.runner.enqueue(objectKey(ds)))
      .on('delete', (ds) => this.dsDeleted(ds));
    nodeInformer
      .on('add', () => this.enqueueAll())
      .on('update', (old, node) => void (nodeState(old) !== nodeState(node) && this.enqueueAll()))
      .on('delete', () => this.enqueueAll());
    const podEvents = ownedPodHandlers({ kind: DaemonSetResource.kind, owners: this.dsStore, creations: this.deps.creations, deletions: this.deps.deletions, enqueue: (key) => this.runner.enqueue(key), state: podState });
    podInformer.on('add', podEvents.add).on('update', podEvents.update).on('delete', podEvents.delete);
    const revisionChanged = (cr: DeepReadonly<ControllerRevision>) => {
      const ds = this.owner(cr);
      if (ds) this.runner.enqueue(objectKey(ds));
    };
    revInformer.on('add', revisionChanged).on('update', (_old, cr) => revisionChanged(cr)).on('delete', revisionChanged);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private dsDeleted(ds: DeepReadonly<DaemonSet>): void {
    const key = objectKey(ds);
    this.deps.creations.forget(key);
    this.deps.deletions.forget(key);
    this.deps.backoff.forgetPrefix(`${ds.metadata.uid ?? ''}/`);
    this.runner.enqueue(key);
  }

  private enqueueAll(): void {
    for (const ds of this.dsStore.list()) this.runner.enqueue(objectKey(ds));
  }

  private owner(obj: DeepReadonly<Pod> | DeepReadonly<ControllerRevision>): DeepReadonly<DaemonSet> | undefined {
    return resolveControllerRef(obj, DaemonSetResource.kind, this.dsStore);
  }



}
