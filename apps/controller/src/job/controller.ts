// Job controller (batch/v1): wiring. Informer events become Job keys in the queue; the runner's
// workers call syncJob (sync.ts) for each. A second small runner releases the job-tracking
// finalizer of orphan pods, whose Job is gone and so will never count them.
//
// Event rules:
// - A Job added, changed or deleted → its key (deleted: also drop its expectations).
// - A pod controlled by a Job → that Job, after ticking off the matching creation (pod added) or
//   deletion (deletionTimestamp newly set, or pod gone) expectation; an update that changes
//   nothing the sync looks at (binding, IPs, container details) → none.
// - A pod without a controller → every Job in its namespace whose selector matches it.
// - A pod holding the job-tracking finalizer whose Job is not in the cache → the orphan runner.
import { JobResource, PodResource, type Job, type Pod } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { Expectations } from '../framework/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { controllerRefOf, forReading, ignoreNotFound } from '../framework/owners.js';
import { ApiPodControl, type PodControl } from '../framework/pod-control.js';
import { isPodReady, type ReadonlyPod } from '../framework/pods.js';
import { ControllerRunner } from '../framework/runner.js';
import { DEFAULT_JOB_BACKOFF_BASE_MS, MAX_JOB_BACKOFF_MS } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { hasTrackingFinalizer } from './job-pods.js';
import { syncJob, type JobSyncDeps } from './sync.js';
import { JOB_TRACKING_FINALIZER } from '@kite/api-types';

export const JOB_CONTROLLER = 'job';
/** Concurrent syncs (Kubernetes' --concurrent-job-syncs). */
export const DEFAULT_JOB_WORKERS = 5;
/** Workers releasing orphan pods' finalizers. */
const ORPHAN_WORKERS = 2;

export interface JobControllerOptions {
  workers?: number;
  /** First pod re-creation delay after a failure (`--job-backoff-base`). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  podControl?: PodControl;
}

type ReadonlyJob = DeepReadonly<Job>;

/** What of a pod its Job's sync depends on. */
function relevantState(pod: ReadonlyPod): string {
  return JSON.stringify([pod.metadata.labels ?? {}, controllerRefOf(pod)?.uid, pod.status?.phase, isPodReady(pod), pod.metadata.finalizers ?? [], pod.metadata.deletionTimestamp]);
}

/** Removes the job-tracking finalizer (a pod already gone is fine). */
export function finalizerRemover(pods: ResourceClient<Pod>): (pod: ReadonlyPod) => Promise<void> {
  return async (pod) => {
    const patch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };
    await ignoreNotFound(pods.patch(pod.metadata.name ?? '', patch, { type: 'strategic', namespace: pod.metadata.namespace ?? '' }));
  };
}

export class JobController implements Controller {
  readonly name = JOB_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly orphans: ControllerRunner;
  private readonly jobStore: Indexer<Job>;
  private readonly podStore: Indexer<Pod>;
  private readonly expectations = new Expectations();
  private readonly warmBatch = new Map<string, number>();

  constructor(ctx: ControllerContext, opts: JobControllerOptions = {}) {
    const jobInformer = ctx.informers.informer(JobResource);
    const podInformer = ctx.informers.index(PodResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(PodResource, ORPHAN_INDEX, orphanIndexFunc);
    this.jobStore = jobInformer.store;
    this.podStore = podInformer.store;
    const pods = ctx.client.resource(PodResource);
    const removeFinalizer = finalizerRemover(pods);
    const deps: JobSyncDeps = {
      jobStore: jobInformer.store,
      podStore: podInformer.store,
      pods,
      jobs: ctx.client.resource(JobResource),
      podControl: opts.podControl ?? new ApiPodControl(ctx.client),
      removeFinalizer,
      expectations: this.expectations,
      warmBatch: this.warmBatch,
      recorder: ctx.recorder,
      now: ctx.now,
      backoffBaseMs: opts.backoffBaseMs ?? DEFAULT_JOB_BACKOFF_BASE_MS,
      backoffMaxMs: opts.backoffMaxMs ?? MAX_JOB_BACKOFF_MS,
      podCacheRevision: () => podInformer.lastSyncResourceVersion(),
    };
    const hasSynced = () => jobInformer.hasSynced() && podInformer.hasSynced();
    this.runner = new ControllerRunner({ name: this.name, workers: opts.workers ?? DEFAULT_JOB_WORKERS, sync: (key) => syncJob(deps, key), hasSynced, logger: ctx.logger, metrics: ctx.metrics });
    this.orphans = new ControllerRunner({ name: `${this.name}-orphan-pods`, workers: ORPHAN_WORKERS, sync: (key) => this.releaseOrphan(key, removeFinalizer), hasSynced, logger: ctx.logger, metrics: ctx.metrics });
    jobInformer
      .on('add', (job) => this.runner.enqueue(objectKey(job)))
      .on('update', (_old, job) => this.runner.enqueue(objectKey(job)))
      .on('delete', (job) => {
        this.expectations.forget(objectKey(job));
        this.warmBatch.delete(objectKey(job));
        this.runner.enqueue(objectKey(job));
        for (const p of this.podStore.byIndex(CONTROLLER_UID_INDEX, job.metadata.uid ?? '')) if (hasTrackingFinalizer(p)) this.orphans.enqueue(objectKey(p));
      });
    podInformer
      .on('add', (pod) => this.podAdded(pod))
      .on('update', (old, pod) => this.podUpdated(old, pod))
      .on('delete', (pod) => this.podDeleted(pod));
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.runner.run(signal), this.orphans.run(signal)]);
  }

  depth(): number {
    return this.runner.depth() + this.orphans.depth();
  }

  private owner(pod: ReadonlyPod): ReadonlyJob | undefined {
    return resolveControllerRef(pod, JobResource.kind, this.jobStore);
  }

  private podAdded(pod: ReadonlyPod): void {
    const job = this.owner(pod);
    if (job) {
      this.expectations.creationObserved(objectKey(job));
      if (pod.metadata.deletionTimestamp) this.expectations.deletionObserved(objectKey(job), objectKey(pod));
      this.runner.enqueue(objectKey(job));
    } else {
      this.checkOrphan(pod);
      if (!controllerRefOf(pod)) this.enqueueMatching(pod);
    }
  }

  private podUpdated(old: ReadonlyPod, pod: ReadonlyPod): void {
    const job = this.owner(pod);
    if (!job) {
      this.checkOrphan(pod);
      if (!controllerRefOf(pod)) this.enqueueMatching(pod);
    }
    if (old.metadata.resourceVersion !== pod.metadata.resourceVersion && relevantState(old) === relevantState(pod)) return;
    const oldRef = controllerRefOf(old);
    if (oldRef && oldRef.uid !== controllerRefOf(pod)?.uid) {
      const oldOwner = this.owner(old);
      if (oldOwner) this.runner.enqueue(objectKey(oldOwner));
    }
    if (!job) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(objectKey(job), objectKey(pod));
    this.runner.enqueue(objectKey(job));
  }

  private podDeleted(pod: ReadonlyPod): void {
    const job = this.owner(pod);
    if (!job) return;
    this.expectations.deletionObserved(objectKey(job), objectKey(pod));
    this.runner.enqueue(objectKey(job));
  }

  /** A pod holding the finalizer with no Job (or a finished one) to count it is released. */
  private checkOrphan(pod: ReadonlyPod): void {
    if (!hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind === JobResource.kind) this.orphans.enqueue(objectKey(pod));
  }

  private async releaseOrphan(key: string, removeFinalizer: (pod: ReadonlyPod) => Promise<void>): Promise<void> {
    const pod = this.podStore.get(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref && ref.kind !== JobResource.kind) return;
    const job = this.owner(pod);
    if (job && !isJobFinished(job)) return;
    await removeFinalizer(pod);
  }

  /** Every Job in the pod's namespace that selects it: one of them may adopt it. */
  private enqueueMatching(pod: ReadonlyPod): void {
    for (const job of this.jobStore.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      try {
        if (selectorFromLabelSelector(forReading(job).spec?.selector).matches(pod.metadata.labels)) this.runner.enqueue(objectKey(job));
      } catch {
        // An invalid selector matches nothing; its sync reports it.
      }
    }
  }
}
