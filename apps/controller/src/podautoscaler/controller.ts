// HorizontalPodAutoscaler controller (Kubernetes' pkg/controller/podautoscaler/horizontal.go):
// every HPA is reconciled (sync.ts) when it is added or its spec changes, and again every
// --horizontal-pod-autoscaler-sync-period, since metrics change without any event. Pods come
// from the shared informer; targets are reached through their scale subresource, whatever kind
// they are (rest-mapper.ts); metrics through the apiserver's metrics APIs (metrics-client.ts).
//
// Event rules:
// - HPA added or deleted → its key; updated → its key when the spec changed (generation), so the
//   controller's own status writes do not re-trigger it.
// - Pods trigger nothing: the periodic resync reads them from the cache.
import { HorizontalPodAutoscalerResource, PodResource, type HorizontalPodAutoscaler } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ControllerRunner } from '../framework/runner.js';
import type { ScaleHistory } from './calculator-types.js';
import { MetricsClient } from './metrics-client.js';
import { ScaleMapper } from './rest-mapper.js';
import { syncHorizontalPodAutoscaler, type HpaDeps } from './sync.js';

/** Kubernetes' --controllers name. */
export const HPA_CONTROLLER = 'horizontalpodautoscaling';
/** Kubernetes' --concurrent-horizontal-pod-autoscaler-syncs default. */
export const DEFAULT_HPA_WORKERS = 5;

export interface HpaOptions {
  syncPeriodMs: number;
  downscaleStabilizationWindowMs: number;
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
  workers?: number;
}

type Hpa = DeepReadonly<HorizontalPodAutoscaler>;

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = HPA_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: HpaOptions) {
    const informer = ctx.informers.informer(HorizontalPodAutoscalerResource);
    const pods = ctx.informers.informer(PodResource);
    const deps: HpaDeps = {
      store: informer.store,
      pods: pods.store,
      hpas: ctx.client.resource(HorizontalPodAutoscalerResource),
      client: ctx.client,
      mapper: new ScaleMapper(ctx.client),
      metrics: new MetricsClient(ctx.client),
      recorder: ctx.recorder,
      logger: ctx.logger,
      now: ctx.now,
      syncPeriodMs: opts.syncPeriodMs,
      calculator: {
        tolerances: { scaleUp: opts.tolerance, scaleDown: opts.tolerance },
        cpuInitializationPeriodMs: opts.cpuInitializationPeriodMs,
        delayOfInitialReadinessStatusMs: opts.initialReadinessDelayMs,
      },
      downscaleStabilizationWindowMs: opts.downscaleStabilizationWindowMs,
      histories: new Map<string, ScaleHistory>(),
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_HPA_WORKERS,
      sync: (key) => syncHorizontalPodAutoscaler(deps, key),
      hasSynced: () => informer.hasSynced() && pods.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (h: Hpa) => this.runner.enqueue(objectKey(h));
    informer
      .on('add', enqueue)
      .on('update', (old, h) => {
        if (old.metadata.generation !== h.metadata.generation) enqueue(h);
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
