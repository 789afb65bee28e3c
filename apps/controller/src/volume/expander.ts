// The volume expander (`persistentvolume-expander`, Kubernetes' expand controller): when a Bound
// claim's storage request grows past its status.capacity (admission has already checked that its
// class allows expansion), the volume grows. A local-path volume is a directory with no size of
// its own, so growing it is recording the new size: PV.spec.capacity, then the claim's
// status.capacity and allocatedResources, and the Resizing / FileSystemResizePending conditions
// cleared. Volumes of other provisioners are left to their external resizer (ExternalExpanding).
// A request above the local-path maximum is VolumeResizeFailed and the claim keeps its size.
import { compareQuantities, PersistentVolumeClaimResource, PersistentVolumeResource, StorageClassResource, type PersistentVolume, type PersistentVolumeClaim } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import type { ControllerContext } from '../framework/controller.js';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { ControllerRunner } from '../framework/runner.js';
import { QueueController } from './queue-controller.js';
import { copy } from './binder-deps.js';
import type { LocalPathOptions } from './local-path.js';
import { ANN_PROVISIONED_BY, EVENT_EXTERNAL_EXPANDING, EVENT_VOLUME_RESIZE_FAILED, EVENT_VOLUME_RESIZE_SUCCESSFUL, LOCAL_PATH_PROVISIONER } from './names.js';

export const PV_EXPANDER_CONTROLLER = 'persistentvolume-expander';
/** Conditions of a resize in progress, cleared once it is done. */
const RESIZE_CONDITIONS: ReadonlySet<string> = new Set(['Resizing', 'FileSystemResizePending']);
const WORKERS = 1;

type PVC = DeepReadonly<PersistentVolumeClaim>;

/** The size a claim wants its volume grown to, or undefined when nothing is to grow. */
export function pendingExpansion(claim: PVC): string | number | undefined {
  const want = claim.spec?.resources?.requests?.storage;
  const have = claim.status?.capacity?.storage;
  if (claim.status?.phase !== 'Bound' || want === undefined || have === undefined) return undefined;
  return compareQuantities(want, have) > 0 ? want : undefined;
}

export class VolumeExpander extends QueueController {
  readonly name = PV_EXPANDER_CONTROLLER;
  protected readonly runner: ControllerRunner;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly localPath: LocalPathOptions,
  ) {
    super();
    const claims = ctx.informers.informer(PersistentVolumeClaimResource);
    const volumes = ctx.informers.informer(PersistentVolumeResource);
    const classes = ctx.informers.informer(StorageClassResource);
    this.runner = new ControllerRunner({
      name: this.name,
      workers: WORKERS,
      sync: (key) => this.sync(key),
      hasSynced: () => claims.hasSynced() && volumes.hasSynced() && classes.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const onClaim = (c: PVC) => {
      if (pendingExpansion(c) !== undefined) this.runner.enqueue(objectKey(c));
    };
    claims.on('add', onClaim).on('update', (_o, c) => onClaim(c));
  }

  private async sync(key: string): Promise<void> {
    const claim = this.ctx.informers.informer(PersistentVolumeClaimResource).store.get(key);
    const want = claim ? pendingExpansion(claim) : undefined;
    const volume = claim?.spec?.volumeName ? this.ctx.informers.informer(PersistentVolumeResource).store.get(claim.spec.volumeName) : undefined;
    if (!claim || want === undefined || !volume) return;
    const sc = this.ctx.informers.informer(StorageClassResource).store.get(claim.spec?.storageClassName ?? '');
    const provisioner = volume.metadata.annotations?.[ANN_PROVISIONED_BY] ?? sc?.provisioner;
    if (provisioner !== LOCAL_PATH_PROVISIONER) {
      this.ctx.recorder.event(claim, EVENT_NORMAL, EVENT_EXTERNAL_EXPANDING, `waiting for an external controller to expand this PVC`);
      return;
    }
    if (compareQuantities(want, this.localPath.maxSize) > 0) {
      this.ctx.recorder.event(claim, EVENT_WARNING, EVENT_VOLUME_RESIZE_FAILED, `requested storage ${want} exceeds the maximum volume size ${this.localPath.maxSize} of ${LOCAL_PATH_PROVISIONER}`);
      return;
    }
    await this.growVolume(volume, want);
    await this.recordClaimSize(claim, want);
    this.ctx.recorder.event(claim, EVENT_NORMAL, EVENT_VOLUME_RESIZE_SUCCESSFUL, `ExpandVolume succeeded for volume ${objectKey(claim)}`);
  }

  private async growVolume(volume: DeepReadonly<PersistentVolume>, size: string | number): Promise<void> {
    if (compareQuantities(volume.spec?.capacity?.storage ?? 0, size) >= 0) return;
    const pv = copy<PersistentVolume>(volume);
    pv.spec = { ...pv.spec, capacity: { ...pv.spec?.capacity, storage: size } };
    await this.ctx.client.resource(PersistentVolumeResource).update(pv);
  }

  private async recordClaimSize(claim: PVC, size: string | number): Promise<void> {
    const pvc = copy<PersistentVolumeClaim>(claim);
    const status = (pvc.status ??= {});
    status.capacity = { ...status.capacity, storage: size };
    status.allocatedResources = { ...status.allocatedResources, storage: size };
    const conditions = (status.conditions ?? []).filter((c) => !RESIZE_CONDITIONS.has(c.type));
    if (conditions.length > 0) status.conditions = conditions;
    else delete status.conditions;
    delete status.allocatedResourceStatuses;
    await this.ctx.client.resource(PersistentVolumeClaimResource).updateStatus(pvc);
  }
}
