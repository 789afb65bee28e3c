// Deployment controller: wiring. Informer events become Deployment keys; workers run
// syncDeployment (sync.ts).
//
// Event rules:
// - A Deployment added, changed or deleted → its key.
// - A ReplicaSet → the Deployment controlling it (or, for an orphan, every Deployment in its
//   namespace that selects it, one of which may adopt it).
// - A pod that appears, disappears, or starts or stops being active → the Deployment controlling
//   the pod's ReplicaSet. Kubernetes only does this for pod deletions under Recreate; kite also
//   counts a ReplicaSet's live pods in the surge budget (math.ts), so it needs to hear when they
//   come and go.
import { DeploymentResource, PodResource, ReplicaSetResource, type Deployment, type Pod, type ReplicaSet } from '@kite/api-types';
import { selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly, type Indexer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerUidIndexFunc, orphanIndexFunc } from '../framework/informers.js';
import { resolveControllerRef } from '../framework/lookup.js';
import { controllerRefOf, forReading } from '../framework/owners.js';
import { isPodActive } from '../framework/pods.js';
import { ControllerRunner } from '../framework/runner.js';
import type { DeploymentDeps } from './context.js';
import { syncDeployment } from './sync.js';

export const DEPLOYMENT_CONTROLLER = 'deployment';
/** Concurrent syncs (Kubernetes' --concurrent-deployment-syncs). */
export const DEFAULT_DEPLOYMENT_WORKERS = 5;

export class DeploymentController implements Controller {
  readonly name = DEPLOYMENT_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly deploymentStore: Indexer<Deployment>;
  private readonly replicaSetStore: Indexer<ReplicaSet>;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const dInformer = ctx.informers.informer(DeploymentResource);
    const rsInformer = ctx.informers.index(ReplicaSetResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    ctx.informers.index(ReplicaSetResource, ORPHAN_INDEX, orphanIndexFunc);
    const podInformer = ctx.informers.index(PodResource, CONTROLLER_UID_INDEX, controllerUidIndexFunc);
    this.deploymentStore = dInformer.store;
    this.replicaSetStore = rsInformer.store;
    const deps: DeploymentDeps = {
      deploymentStore: dInformer.store,
      replicaSetStore: rsInformer.store,
      podStore: podInformer.store,
      deployments: ctx.client.resource(DeploymentResource),
      replicaSets: ctx.client.resource(ReplicaSetResource),
      recorder: ctx.recorder,
      now: ctx.now,
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_DEPLOYMENT_WORKERS,
      sync: (key) => syncDeployment(deps, key),
      hasSynced: () => dInformer.hasSynced() && rsInformer.hasSynced() && podInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (d: DeepReadonly<Deployment>) => this.runner.enqueue(objectKey(d));
    dInformer.on('add', enqueue).on('update', (_old, d) => enqueue(d)).on('delete', enqueue);
    rsInformer
      .on('add', (rs) => this.replicaSetChanged(rs))
      .on('update', (old, rs) => {
        if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.replicaSetChanged(old);
        this.replicaSetChanged(rs);
      })
      .on('delete', (rs) => this.replicaSetChanged(rs));
    const onPod = (pod: DeepReadonly<Pod>) => this.podChanged(pod);
    // Readiness reaches the Deployment through its ReplicaSets' status; pods matter for the surge
    // budget only when they start or stop counting as active.
    podInformer
      .on('add', onPod)
      .on('update', (old, pod) => {
        if (isPodActive(old) !== isPodActive(pod)) onPod(pod);
      })
      .on('delete', onPod);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private replicaSetChanged(rs: DeepReadonly<ReplicaSet>): void {
    const d = resolveControllerRef(rs, DeploymentResource.kind, this.deploymentStore);
    if (d) return this.runner.enqueue(objectKey(d));
    if (controllerRefOf(rs)) return;
    for (const candidate of this.deploymentStore.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
      try {
        if (selectorFromLabelSelector(forReading(candidate).spec?.selector).matches(rs.metadata.labels)) this.runner.enqueue(objectKey(candidate));
      } catch {
        // An invalid selector matches nothing; its own sync reports it.
      }
    }
  }

  private podChanged(pod: DeepReadonly<Pod>): void {
    const rs = resolveControllerRef(pod, ReplicaSetResource.kind, this.replicaSetStore);
    const d = rs && resolveControllerRef(rs, DeploymentResource.kind, this.deploymentStore);
    if (d) this.runner.enqueue(objectKey(d));
  }
}
