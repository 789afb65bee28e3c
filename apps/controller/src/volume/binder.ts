// The PersistentVolume binder (`persistentvolume-binder`, pkg/controller/volume/persistentvolume):
// binds claims to volumes, provisions volumes for claims of a class (local-path built in), and
// reclaims volumes whose claims are gone. Two queues as in Kubernetes - claims (`ns/name`) and
// volumes (`name`) - each synced by one worker, so two claims never race inside the controller
// (the resourceVersion of each write guards against anything else).
//
// Event rules:
// - claim added/changed → that claim; claim deleted → the volumes that name it (they are Released)
// - volume added/changed/deleted → that volume and the claim it names; an unclaimed volume also
//   → every Pending claim (one may fit it now)
// - class added/changed → the Pending claims of that class (a missing class may have appeared)
// Pending claims are looked at again every SYNC_PERIOD_MS (Kubernetes' --pvclaimbinder-sync-period).
// At start the binder makes the `local-path` StorageClass if it is absent (the default class
// unless the cluster has another).
import { NodeResource, PersistentVolumeClaimResource, PersistentVolumeResource, StorageClassResource, isDefaultStorageClass, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import { isAlreadyExists } from '@kite/apimachinery';
import { objectKey, type DeepReadonly, type Informer } from '@kite/client';
import type { Logger } from '@kite/component-base';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { describe, ControllerRunner, type SyncResult } from '../framework/runner.js';
import { claimView, copy, type BinderDeps } from './binder-deps.js';
import { bind } from './bind.js';
import { decideClaim } from './claim-decision.js';
import { localPathStorageClass, type LocalPathOptions } from './local-path.js';
import { LOCAL_PATH_CLASS } from './names.js';
import { provision } from './provision.js';
import { syncVolume } from './reclaim.js';

export const PV_BINDER_CONTROLLER = 'persistentvolume-binder';
/** How often Pending claims are tried again (Kubernetes' --pvclaimbinder-sync-period). */
export const SYNC_PERIOD_MS = 15_000;
/** Pause between attempts to create the default class while the apiserver is unreachable. */
const DEFAULT_CLASS_RETRY_MS = 1_000;
/** Index of volumes by the `ns/name` of the claim their claimRef names. */
const CLAIM_REF_INDEX = 'claim-ref';

type PVC = DeepReadonly<PersistentVolumeClaim>;
type PV = DeepReadonly<PersistentVolume>;

const claimRefKey = (pv: PV): string[] => (pv.spec?.claimRef?.name ? [`${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name}`] : []);
const isPending = (c: PVC): boolean => !c.spec?.volumeName && !c.metadata.deletionTimestamp;

export class PersistentVolumeBinder implements Controller {
  readonly name = PV_BINDER_CONTROLLER;
  private readonly claimRunner: ControllerRunner;
  private readonly volumeRunner: ControllerRunner;
  private readonly deps: BinderDeps;
  private readonly classInformer: Informer<StorageClass>;
  private readonly logger: Logger;

  constructor(ctx: ControllerContext, localPath: LocalPathOptions) {
    const claims = ctx.informers.informer(PersistentVolumeClaimResource);
    const volumes = ctx.informers.index(PersistentVolumeResource, CLAIM_REF_INDEX, claimRefKey);
    this.classInformer = ctx.informers.informer(StorageClassResource);
    const nodes = ctx.informers.informer(NodeResource);
    this.logger = ctx.logger;
    this.deps = { claims: claims.store, volumes: volumes.store, classes: this.classInformer.store, nodes: nodes.store, client: ctx.client, recorder: ctx.recorder, localPath };
    const hasSynced = () => claims.hasSynced() && volumes.hasSynced() && this.classInformer.hasSynced() && nodes.hasSynced();
    const common = { workers: 1, hasSynced, logger: ctx.logger, metrics: ctx.metrics };
    this.claimRunner = new ControllerRunner({ ...common, name: `${this.name}-claims`, sync: (key) => this.syncClaim(key) });
    this.volumeRunner = new ControllerRunner({ ...common, name: `${this.name}-volumes`, sync: (key) => this.syncVolume(key) });
    claims.on('add', (c) => this.claimRunner.enqueue(objectKey(c))).on('update', (_o, c) => this.claimRunner.enqueue(objectKey(c)));
    claims.on('delete', (c) => this.volumesOf(c).forEach((name) => this.volumeRunner.enqueue(name)));
    const onVolume = (pv: PV) => this.volumeChanged(pv);
    volumes.on('add', onVolume).on('update', (_o, pv) => onVolume(pv)).on('delete', onVolume);
    const onClass = (sc: DeepReadonly<StorageClass>) => this.enqueuePending((c) => c.spec?.storageClassName === sc.metadata.name);
    this.classInformer.on('add', onClass).on('update', (_o, sc) => onClass(sc));
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.claimRunner.run(signal), this.volumeRunner.run(signal), this.ensureLocalPathClass(signal)]);
  }

  depth(): number {
    return this.claimRunner.depth() + this.volumeRunner.depth();
  }

  private volumesOf(claim: PVC): string[] {
    const names = this.deps.volumes.byIndex(CLAIM_REF_INDEX, objectKey(claim)).map((pv) => pv.metadata.name ?? '');
    if (claim.spec?.volumeName) names.push(claim.spec.volumeName);
    return [...new Set(names)];
  }

  private volumeChanged(pv: PV): void {
    this.volumeRunner.enqueue(pv.metadata.name ?? '');
    const [claim] = claimRefKey(pv);
    if (claim) this.claimRunner.enqueue(claim);
    else this.enqueuePending(() => true);
  }

  private enqueuePending(filter: (c: PVC) => boolean): void {
    for (const c of this.deps.claims.list()) if (isPending(c) && filter(c)) this.claimRunner.enqueue(objectKey(c));
  }

  private async syncClaim(key: string): Promise<SyncResult | void> {
    const claim = this.deps.claims.get(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const action = decideClaim(claim, claimView(this.deps));
    switch (action.kind) {
      case 'bind':
        return bind(this.deps, claim, action.volume);
      case 'provision':
        await provision(this.deps, claim, action.storageClass, action.node);
        return { requeueAfterMs: SYNC_PERIOD_MS };
      case 'pending':
        if (action.event) this.deps.recorder.event(claim, action.event.type, action.event.reason, action.event.message);
        return { requeueAfterMs: SYNC_PERIOD_MS };
      case 'lost':
        this.deps.recorder.event(claim, action.event.type, action.event.reason, action.event.message);
        return this.markLost(claim);
      case 'none':
        return;
    }
  }

  private async markLost(claim: PVC): Promise<void> {
    if (claim.status?.phase === 'Lost') return;
    const pvc = copy<PersistentVolumeClaim>(claim);
    pvc.status = { ...pvc.status, phase: 'Lost' };
    await this.deps.client.resource(PersistentVolumeClaimResource).updateStatus(pvc);
  }

  private syncVolume(name: string): Promise<void> {
    const pv = this.deps.volumes.get(name);
    return pv ? syncVolume(this.deps, pv) : Promise.resolve();
  }

  /** Makes the built-in class once, when the cluster has none of that name. */
  private async ensureLocalPathClass(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!this.classInformer.hasSynced()) {
        await sleep(DEFAULT_CLASS_RETRY_MS / 10);
        continue;
      }
      if (this.deps.classes.get(LOCAL_PATH_CLASS)) return;
      const isDefault = !this.deps.classes.list().some(isDefaultStorageClass);
      try {
        await this.deps.client.resource(StorageClassResource).create(localPathStorageClass(isDefault));
        return;
      } catch (err) {
        if (isAlreadyExists(err)) return;
        this.logger.warn({ controller: this.name, err: describe(err) }, 'could not create the local-path StorageClass, retrying');
        await sleep(DEFAULT_CLASS_RETRY_MS);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
