// ReplicaSet controller: wiring. Informer events become ReplicaSet keys in the queue; the runner's
// workers call syncReplicaSet (sync.ts) for each.
//
// Event rules:
// - A ReplicaSet added, changed or deleted → its key (deleted: also drop its expectations).
// - A pod with a controller reference → its ReplicaSet, after ticking off the matching creation
//   (pod added) or deletion (deletionTimestamp newly set, or pod gone) expectation.
// - A pod whose controller reference changed → the old owner too.
// - A pod update that changes nothing the sync counts (binding, pod IP, container details) → none.
// - An orphan pod → every ReplicaSet in its namespace whose selector matches it (one may adopt it).
// Background create rounds (replicas.ts) report back here: a failed round is remembered for the
// ReplicaSet's status and retries, and either way the ReplicaSet is synced again. Stopping waits
// for rounds in flight.
import { PodResource, ReplicaSetResource, type Pod, type ReplicaSet } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { Expectations } from '../framework/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { controllerRefOf, forReading } from '../framework/owners.js';
import { ApiPodControl, type PodControl } from '../framework/pod-control.js';
import { isPodReady, podReadySince } from '../framework/pods.js';
import { ControllerRunner } from '../framework/runner.js';
import type { ManageFailure } from './replicas.js';
import { syncReplicaSet, type ReplicaSetSyncDeps } from './sync.js';

export const REPLICASET_CONTROLLER = 'replicaset';
/** Concurrent syncs (Kubernetes' --concurrent-replicaset-syncs). */
export const DEFAULT_REPLICASET_WORKERS = 5;

export interface ReplicaSetControllerOptions {
  workers?: number;
  podControl?: PodControl;
}

type ReadonlyRS = DeepReadonly<ReplicaSet>;
type ReadonlyPod = DeepReadonly<Pod>;

/** What of a pod its ReplicaSet's sync depends on: ownership, labels, phase, readiness. */
function statusRelevantState(pod: ReadonlyPod): string {
  return JSON.stringify([pod.metadata.labels ?? {}, controllerRefOf(pod)?.uid, pod.status?.phase, podReadySince(pod) ?? isPodReady(pod)]);
}

export class ReplicaSetController implements Controller {
  readonly name = REPLICASET_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly rsStore: Indexer<ReplicaSet>;
  private readonly expectations = new Expectations();
  private readonly failures = new Map<string, ManageFailure>();
  private readonly rounds = new Set<Promise<void>>();
  private readonly warmBatch = new Map<string, number>();

  constructor(ctx: ControllerContext, opts: ReplicaSetControllerOptions = {}) {
    const rsInformer = ctx.informers.informer(ReplicaSetResource);
    const podInformer = ctx.informers.index(PodResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(PodResource, ORPHAN_INDEX, orphanIndexFunc);
    this.rsStore = rsInformer.store;
    const deps: ReplicaSetSyncDeps = {
      replicaSetStore: rsInformer.store,
      podStore: podInformer.store,
      replicaSets: ctx.client.resource(ReplicaSetResource),
      pods: ctx.client.resource(PodResource),
      podControl: opts.podControl ?? new ApiPodControl(ctx.client),
      expectations: this.expectations,
      recorder: ctx.recorder,
      launch: (key, round) => this.launch(key, round),
      warmBatch: this.warmBatch,
      lastFailure: (key) => this.failures.get(key),
      now: ctx.now,
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_REPLICASET_WORKERS,
      sync: (key) => syncReplicaSet(deps, key),
      hasSynced: () => rsInformer.hasSynced() && podInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    rsInformer
      .on('add', (rs) => this.runner.enqueue(objectKey(rs)))
      .on('update', (_old, rs) => this.runner.enqueue(objectKey(rs)))
      .on('delete', (rs) => {
        this.expectations.forget(objectKey(rs));
        this.failures.delete(objectKey(rs));
        this.warmBatch.delete(objectKey(rs));
        this.runner.enqueue(objectKey(rs));
      });
    podInformer
      .on('add', (pod) => this.podAdded(pod))
      .on('update', (old, pod) => this.podUpdated(old, pod))
      .on('delete', (pod) => this.podDeleted(pod));
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.runner.run(signal);
    await Promise.all([...this.rounds]);
  }

  depth(): number {
    return this.runner.depth();
  }

  private launch(key: string, round: Promise<ManageFailure | undefined>): void {
    const done = round
      .catch((error: unknown): ManageFailure => ({ reason: 'FailedCreate', message: String(error), error }))
      .then((failure) => {
        if (failure) this.failures.set(key, failure);
        else this.failures.delete(key);
        this.runner.enqueue(key);
      })
      .finally(() => this.rounds.delete(done));
    this.rounds.add(done);
  }

  private owner(pod: ReadonlyPod): ReadonlyRS | undefined {
    return resolveControllerRef(pod, ReplicaSetResource.kind, this.rsStore);
  }

  private podAdded(pod: ReadonlyPod): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const rs = this.owner(pod);
    if (rs) {
      this.expectations.creationObserved(objectKey(rs));
      this.runner.enqueue(objectKey(rs));
    } else if (!controllerRefOf(pod)) {
      this.enqueueMatching(pod);
    }
  }

  private podUpdated(old: ReadonlyPod, pod: ReadonlyPod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) {
      const rs = this.owner(pod);
      if (rs) this.runner.enqueue(objectKey(rs));
      return;
    }
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.podDeleted(pod);
    // Binding, IPs and container details change nothing a ReplicaSet counts: skip the sync.
    if (statusRelevantState(old) === statusRelevantState(pod)) return;
    const oldRef = controllerRefOf(old);
    if (oldRef && oldRef.uid !== controllerRefOf(pod)?.uid) {
      const oldOwner = this.owner(old);
      if (oldOwner) this.runner.enqueue(objectKey(oldOwner));
    }
    const rs = this.owner(pod);
    if (rs) this.runner.enqueue(objectKey(rs));
    else if (!controllerRefOf(pod)) this.enqueueMatching(pod);
  }

  private podDeleted(pod: ReadonlyPod): void {
    const rs = this.owner(pod);
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.runner.enqueue(objectKey(rs));
  }

  /** Every ReplicaSet in the pod's namespace that selects it: one of them may adopt it. */
  private enqueueMatching(pod: ReadonlyPod): void {
    for (const rs of this.rsStore.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      try {
        if (selectorFromLabelSelector(forReading(rs).spec?.selector).matches(pod.metadata.labels)) this.runner.enqueue(objectKey(rs));
      } catch {
        // An invalid selector matches nothing; its sync reports it.
      }
    }
  }
}
