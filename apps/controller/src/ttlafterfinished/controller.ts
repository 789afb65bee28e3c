// TTL-after-finished controller: deletes a finished Job `ttlSecondsAfterFinished` seconds after
// it finished (Kubernetes' ttlafterfinished controller), its pods following through the garbage
// collector (foreground deletion: the Job goes once its pods are gone).
//
// Contract:
// - A Job is finished when its Complete or Failed condition is True; it finished at that
//   condition's lastTransitionTime (status.completionTime for Complete, if later).
// - Before deleting, the Job is read again from the apiserver: a TTL changed or removed since the
//   cache saw it is honoured. The delete carries the uid as precondition, so a Job re-created
//   under the same name is never hit.
// - Not yet expired → the key is requeued for the moment it expires.
import { JobResource, type Job } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { objectKey, type DeepReadonly, type ResourceClient } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ControllerRunner, type SyncResult } from '../framework/runner.js';

export const TTL_AFTER_FINISHED_CONTROLLER = 'ttl-after-finished';
/** Concurrent syncs (Kubernetes' --concurrent-ttl-after-finished-syncs). */
export const DEFAULT_TTL_WORKERS = 5;
const FINISHED_TYPES = ['Complete', 'Failed'];

/** When the Job finished (epoch ms), or undefined while it runs. */
export function finishedAt(job: DeepReadonly<Job>): number | undefined {
  const c = job.status?.conditions?.find((x) => FINISHED_TYPES.includes(x.type) && x.status === 'True');
  if (!c) return undefined;
  const times = [c.lastTransitionTime, job.status?.completionTime].map((t) => Date.parse(t ?? '')).filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** Milliseconds until the Job expires (≤ 0: expired), or undefined when it has no TTL or runs. */
export function expiresIn(job: DeepReadonly<Job>, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const at = finishedAt(job);
  if (ttl === undefined || ttl === null || at === undefined || job.metadata.deletionTimestamp) return undefined;
  return at + ttl * 1000 - now;
}

export class TtlAfterFinishedController implements Controller {
  readonly name = TTL_AFTER_FINISHED_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const informer = ctx.informers.informer(JobResource);
    const jobs = ctx.client.resource(JobResource);
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_TTL_WORKERS,
      sync: (key) => this.sync(key, informer.store.get(key), jobs, ctx.now),
      hasSynced: () => informer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (job: DeepReadonly<Job>) => {
      if (job.spec?.ttlSecondsAfterFinished !== undefined && finishedAt(job) !== undefined) this.runner.enqueue(objectKey(job));
    };
    informer.on('add', enqueue).on('update', (_old, job) => enqueue(job));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private async sync(key: string, cached: DeepReadonly<Job> | undefined, jobs: ResourceClient<Job>, now: () => number): Promise<SyncResult | void> {
    if (!cached) return;
    const left = expiresIn(cached, now());
    if (left === undefined) return;
    if (left > 0) return { requeueAfterMs: left };
    const namespace = cached.metadata.namespace ?? '';
    const name = cached.metadata.name ?? '';
    let fresh: Job;
    try {
      fresh = await jobs.get(name, { namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const freshLeft = expiresIn(fresh, now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) return { requeueAfterMs: freshLeft };
    try {
      await jobs.delete(name, { namespace, propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
