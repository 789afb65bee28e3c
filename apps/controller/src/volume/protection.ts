// The storage protection controllers (pkg/controller/volume/{pvcprotection,pvprotection}): the
// StorageObjectInUseProtection admission plugin puts a finalizer on every claim and volume; these
// remove it once deletion is safe, so a claim a running pod uses, or a volume still Bound, stays
// Terminating instead of vanishing under its user.
// - `pvc-protection`: a deleted claim keeps `kubernetes.io/pvc-protection` while any scheduled pod
//   of its namespace that has not terminated names it (a persistentVolumeClaim volume, or an
//   ephemeral volume, whose claim is `<pod>-<volume>`). The cache's "unused" is confirmed with a
//   live list, since a pod created a moment ago may not be in it yet.
// - `pv-protection`: a deleted volume keeps `kubernetes.io/pv-protection` while it is Bound.
import { PersistentVolumeClaimResource, PersistentVolumeResource, PodResource, type KubeObject, type PersistentVolume, type PersistentVolumeClaim, type Pod, type ResourceType } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { NAMESPACE_INDEX, objectKey, type DeepReadonly } from '@kite/client';
import type { ControllerContext } from '../framework/controller.js';
import { ControllerRunner } from '../framework/runner.js';
import { QueueController } from './queue-controller.js';
import { copy } from './binder-deps.js';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from './names.js';

export const PVC_PROTECTION_CONTROLLER = 'pvc-protection';
export const PV_PROTECTION_CONTROLLER = 'pv-protection';
const WORKERS = 1;

type Pod_ = DeepReadonly<Pod>;

/** The claims a pod names (persistentVolumeClaim volumes, and the claims of its ephemeral volumes). */
export function claimsOfPod(pod: Pod_): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim?.claimName) return [v.persistentVolumeClaim.claimName];
    return (v as { ephemeral?: unknown }).ephemeral ? [`${pod.metadata.name ?? ''}-${v.name}`] : [];
  });
}

/** podUsesPVC: only a scheduled pod that has not terminated holds its claims. */
export function podHoldsClaim(pod: Pod_, claim: string): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed' && claimsOfPod(pod).includes(claim);
}

const pending = (obj: DeepReadonly<KubeObject>, finalizer: string): boolean => !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(finalizer);

async function removeFinalizer<T extends KubeObject>(ctx: ControllerContext, rt: ResourceType<T>, obj: DeepReadonly<T>, finalizer: string): Promise<void> {
  const next = copy<T>(obj);
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    await ctx.client.resource(rt).update(next);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export class PvcProtectionController extends QueueController {
  readonly name = PVC_PROTECTION_CONTROLLER;
  protected readonly runner: ControllerRunner;

  constructor(private readonly ctx: ControllerContext) {
    super();
    const claims = ctx.informers.informer(PersistentVolumeClaimResource);
    const pods = ctx.informers.informer(PodResource);
    this.runner = new ControllerRunner({ name: this.name, workers: WORKERS, sync: (key) => this.sync(key), hasSynced: () => claims.hasSynced() && pods.hasSynced(), logger: ctx.logger, metrics: ctx.metrics });
    const onClaim = (c: DeepReadonly<PersistentVolumeClaim>) => {
      if (pending(c, PVC_PROTECTION_FINALIZER)) this.runner.enqueue(objectKey(c));
    };
    claims.on('add', onClaim).on('update', (_o, c) => onClaim(c));
    const onPod = (p: Pod_) => claimsOfPod(p).forEach((name) => this.runner.enqueue(`${p.metadata.namespace ?? ''}/${name}`));
    pods.on('update', (_o, p) => onPod(p)).on('delete', onPod);
  }

  private async sync(key: string): Promise<void> {
    const claim = this.ctx.informers.informer(PersistentVolumeClaimResource).store.get(key);
    if (!claim || !pending(claim, PVC_PROTECTION_FINALIZER)) return;
    const namespace = claim.metadata.namespace ?? '';
    const name = claim.metadata.name ?? '';
    const cached = this.ctx.informers.informer(PodResource).store.byIndex(NAMESPACE_INDEX, namespace);
    if (cached.some((p) => podHoldsClaim(p, name))) return;
    const live = await this.ctx.client.resource(PodResource).listAll({ namespace });
    if (live.items.some((p) => podHoldsClaim(p as Pod_, name))) return;
    await removeFinalizer(this.ctx, PersistentVolumeClaimResource, claim, PVC_PROTECTION_FINALIZER);
  }
}

export class PvProtectionController extends QueueController {
  readonly name = PV_PROTECTION_CONTROLLER;
  protected readonly runner: ControllerRunner;

  constructor(private readonly ctx: ControllerContext) {
    super();
    const volumes = ctx.informers.informer(PersistentVolumeResource);
    this.runner = new ControllerRunner({ name: this.name, workers: WORKERS, sync: (key) => this.sync(key), hasSynced: () => volumes.hasSynced(), logger: ctx.logger, metrics: ctx.metrics });
    const onVolume = (pv: DeepReadonly<PersistentVolume>) => {
      if (pending(pv, PV_PROTECTION_FINALIZER)) this.runner.enqueue(pv.metadata.name ?? '');
    };
    volumes.on('add', onVolume).on('update', (_o, pv) => onVolume(pv));
  }

  private async sync(name: string): Promise<void> {
    const pv = this.ctx.informers.informer(PersistentVolumeResource).store.get(name);
    if (!pv || !pending(pv, PV_PROTECTION_FINALIZER) || pv.status?.phase === 'Bound') return;
    await removeFinalizer(this.ctx, PersistentVolumeResource, pv, PV_PROTECTION_FINALIZER);
  }
}
