// Scale-to-zero controller (kite's own; Knative does this for Kubernetes): Deployments annotated
// `kite.dev/scale-to-zero-after: <duration>` are scaled to 0 through their scale subresource once
// no request has reached their pods for that long (sync.ts); the proxy's activator brings them
// back on the next request.
//
// Event rules:
// - A Deployment added (including every Deployment at controller start), deleted, or changed in
//   its annotation, replicas or deletion → its key. Status-only updates (frequent while pods
//   start) are left to the periodic look.
// - spec.replicas going up restarts its idle clock (a scale-up is activity, whoever made it).
// - While a Deployment runs pods, its sync asks to be looked at again every sync period
//   (--scale-to-zero-sync-period): the request rate is polled, there is no event for "idle".
import { DeploymentResource, SCALE_TO_ZERO_AFTER_ANNOTATION, type Deployment } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ControllerRunner } from '../framework/runner.js';
import { customMetricsActivity, type ActivityReader } from './activity.js';
import { IdleClock } from './idle-clock.js';
import { syncScaleToZero, type ScaleToZeroDeps } from './sync.js';

export const SCALE_TO_ZERO_CONTROLLER = 'scaletozero';
/** Concurrent syncs: each is one metrics read and at most one write. */
export const DEFAULT_SCALE_TO_ZERO_WORKERS = 2;

export interface ScaleToZeroOptions {
  syncPeriodMs: number;
  workers?: number;
  /** Where request rates come from; default: the custom metrics API through the manager's client. */
  activity?: ActivityReader;
}

type Dep = DeepReadonly<Deployment>;

const replicasOf = (d: Dep) => d.spec?.replicas ?? 1;
const relevantChange = (a: Dep, b: Dep) =>
  replicasOf(a) !== replicasOf(b) || a.metadata.annotations?.[SCALE_TO_ZERO_AFTER_ANNOTATION] !== b.metadata.annotations?.[SCALE_TO_ZERO_AFTER_ANNOTATION] || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp;

export class ScaleToZeroController implements Controller {
  readonly name = SCALE_TO_ZERO_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: ScaleToZeroOptions) {
    const informer = ctx.informers.informer(DeploymentResource);
    const clock = new IdleClock();
    const deps: ScaleToZeroDeps = {
      store: informer.store,
      deployments: ctx.client.resource(DeploymentResource),
      activity: opts.activity ?? customMetricsActivity(ctx.client),
      clock,
      recorder: ctx.recorder,
      logger: ctx.logger,
      now: ctx.now,
      syncPeriodMs: opts.syncPeriodMs,
      warned: new Map(),
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_SCALE_TO_ZERO_WORKERS,
      sync: (key) => syncScaleToZero(deps, key),
      hasSynced: () => informer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (d: Dep) => this.runner.enqueue(objectKey(d));
    informer
      .on('add', enqueue)
      .on('update', (old, d) => {
        if (replicasOf(d) > replicasOf(old)) clock.restart(objectKey(d), ctx.now());
        if (relevantChange(old, d)) enqueue(d);
      })
      .on('delete', enqueue);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}
