// CronJob controller: wiring. Informer events become CronJob keys; workers run syncCronJob
// (sync.ts), which asks to be woken just after the next scheduled time (Kubernetes' cronjob
// controller v2: requeue at the next run instead of polling every 10 s).
//
// Event rules:
// - A CronJob added, changed or deleted → its key (a changed schedule is re-read by the sync).
// - A Job added, changed or deleted → the CronJob controlling it (its completion updates
//   status.active and may free a Forbid run; its deletion may leave status.active stale).
import { CronJobResource, JobResource, type CronJob, type Job } from '@kite/api-types';
import { objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { CONTROLLER_UID_INDEX, controllerUidIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { controllerRefOf } from '../framework/owners.js';
import { ControllerRunner } from '../framework/runner.js';
import type { CronJobDeps } from './context.js';
import { syncCronJob } from './sync.js';

export const CRONJOB_CONTROLLER = 'cronjob';
/** Concurrent syncs (Kubernetes' --concurrent-cron-job-syncs). */
export const DEFAULT_CRONJOB_WORKERS = 5;

export class CronJobController implements Controller {
  readonly name = CRONJOB_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly cronJobStore: Indexer<CronJob>;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const cjInformer = ctx.informers.informer(CronJobResource);
    const jobInformer = ctx.informers.index(JobResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    this.cronJobStore = cjInformer.store;
    const deps: CronJobDeps = {
      cronJobStore: cjInformer.store,
      jobStore: jobInformer.store,
      cronJobs: ctx.client.resource(CronJobResource),
      jobs: ctx.client.resource(JobResource),
      recorder: ctx.recorder,
      now: ctx.now,
      written: new Map(),
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_CRONJOB_WORKERS,
      sync: (key) => syncCronJob(deps, key),
      hasSynced: () => cjInformer.hasSynced() && jobInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (cj: DeepReadonly<CronJob>) => this.runner.enqueue(objectKey(cj));
    cjInformer.on('add', enqueue).on('update', (_old, cj) => enqueue(cj)).on('delete', enqueue);
    jobInformer
      .on('add', (job) => this.jobChanged(job))
      .on('update', (old, job) => {
        if (controllerRefOf(old)?.uid !== controllerRefOf(job)?.uid) this.jobChanged(old);
        this.jobChanged(job);
      })
      .on('delete', (job) => this.jobChanged(job));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private jobChanged(job: DeepReadonly<Job>): void {
    const cj = resolveControllerRef(job, CronJobResource.kind, this.cronJobStore);
    if (cj) this.runner.enqueue(objectKey(cj));
  }
}
