// Disruption controller: wiring. Keeps every PodDisruptionBudget's status (sync.ts) so that the
// apiserver's eviction subresource can spend its allowed disruptions.
//
// Event rules:
// - A budget added, changed or deleted → its key.
// - A pod added, changed or deleted → every budget in its namespace whose selector matches it
//   (for a change, before or after: a relabelled pod leaves one budget and joins another).
// - A pod with a DisruptionTarget condition that may go stale → its key in the second queue
//   (stale.ts), which sets the condition back to False once it is 2 minutes old.
// ReplicaSets, Deployments and StatefulSets are read from their caches for the scale of
// percentage budgets; a scale change shows up as pods coming or going, as in Kubernetes.
import { DeploymentResource, PodDisruptionBudgetResource, PodResource, ReplicaSetResource, StatefulSetResource, type Pod, type PodDisruptionBudget } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { forReading } from '../framework/owners.js';
import { ControllerRunner } from '../framework/runner.js';
import { ScaleMapper } from '../podautoscaler/rest-mapper.js';
import { scaleFinders } from './scale.js';
import { staleDisruptionIn, syncStalePod } from './stale.js';
import { syncBudget, type DisruptionSyncDeps } from './sync.js';

export const DISRUPTION_CONTROLLER = 'disruption';
/** Concurrent syncs (Kubernetes runs the disruption controller with one worker). */
export const DEFAULT_DISRUPTION_WORKERS = 1;

type ReadonlyPod = DeepReadonly<Pod>;

export class DisruptionController implements Controller {
  readonly name = DISRUPTION_CONTROLLER;
  private readonly runner: ControllerRunner;
  /** Pod keys whose DisruptionTarget condition may go stale. */
  private readonly staleRunner: ControllerRunner;
  private readonly pdbStore: Indexer<PodDisruptionBudget>;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const pdbInformer = ctx.informers.informer(PodDisruptionBudgetResource);
    const podInformer = ctx.informers.informer(PodResource);
    const rsInformer = ctx.informers.informer(ReplicaSetResource);
    const deploymentInformer = ctx.informers.informer(DeploymentResource);
    const stsInformer = ctx.informers.informer(StatefulSetResource);
    this.pdbStore = pdbInformer.store;
    const deps: DisruptionSyncDeps = {
      pdbStore: pdbInformer.store,
      podStore: podInformer.store,
      pdbs: ctx.client.resource(PodDisruptionBudgetResource),
      finders: scaleFinders({ replicaSets: rsInformer.store, deployments: deploymentInformer.store, statefulSets: stsInformer.store, client: ctx.client, mapper: new ScaleMapper(ctx.client) }),
      recorder: ctx.recorder,
      now: ctx.now,
    };
    const informers = [pdbInformer, podInformer, rsInformer, deploymentInformer, stsInformer];
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_DISRUPTION_WORKERS,
      sync: (key) => syncBudget(deps, key),
      hasSynced: () => informers.every((i) => i.hasSynced()),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    this.staleRunner = new ControllerRunner({
      name: `${this.name}-stale-pods`,
      workers: 1,
      sync: (key) => syncStalePod({ podStore: podInformer.store, pods: ctx.client.resource(PodResource), now: ctx.now }, key),
      hasSynced: () => podInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const watchStale = (pod: ReadonlyPod) => {
      if (staleDisruptionIn(pod, ctx.now()) !== undefined) this.staleRunner.enqueue(objectKey(pod));
    };
    pdbInformer
      .on('add', (pdb) => this.runner.enqueue(objectKey(pdb)))
      .on('update', (_old, pdb) => this.runner.enqueue(objectKey(pdb)))
      .on('delete', (pdb) => this.runner.enqueue(objectKey(pdb)));
    podInformer
      .on('add', (pod) => {
        this.enqueueBudgetsOf(pod);
        watchStale(pod);
      })
      .on('update', (old, pod) => {
        this.enqueueBudgetsOf(old);
        this.enqueueBudgetsOf(pod);
        watchStale(pod);
      })
      .on('delete', (pod) => this.enqueueBudgetsOf(pod));
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.runner.run(signal), this.staleRunner.run(signal)]);
  }

  depth(): number {
    return this.runner.depth() + this.staleRunner.depth();
  }

  /** Every budget in the pod's namespace that selects it. */
  private enqueueBudgetsOf(pod: ReadonlyPod): void {
    for (const pdb of this.pdbStore.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      try {
        if (selectorFromLabelSelector(forReading(pdb).spec?.selector).matches(pod.metadata.labels)) this.runner.enqueue(objectKey(pdb));
      } catch {
        // An invalid selector matches nothing; its sync reports it.
      }
    }
  }
}
