// The scheduler's view of storage: informers on PersistentVolumeClaims, PersistentVolumes and
// StorageClasses (read by the VolumeBinding plugin through VolumeAccess), their changes turned
// into cluster events that wake pods waiting for a claim, and the two writes volume binding
// makes (merge patches, so a concurrent status update by the binder cannot conflict).
import { PersistentVolumeClaimResource, PersistentVolumeResource, StorageClassResource, type KubeObject, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import { Informer, InformerEvents, type Clock, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { ClusterEvent } from './framework/events.js';
import type { PvcObj, VolumeAccess } from './framework/volumes.js';
import { DEFAULT_BIND_TIMEOUT_SECONDS } from './plugins/volume-binding/prebind.js';

export interface VolumeInformersOptions {
  client: KubeClient;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  bindTimeoutSeconds?: number | undefined;
  /** Called with the cluster event of every change. */
  onEvent: (event: ClusterEvent) => void;
}

export class VolumeInformers {
  readonly access: VolumeAccess;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;

  constructor(opts: VolumeInformersOptions) {
    const onError = (err: unknown, phase: string) => opts.logger?.warn({ err, phase }, 'volume informer trouble');
    const { client, clock } = opts;
    this.claims = wire(new Informer<PersistentVolumeClaim>({ client: client.resource(PersistentVolumeClaimResource), clock, onError }), () => opts.onEvent(ClusterEvent.PvcChange));
    this.volumes = wire(new Informer<PersistentVolume>({ client: client.resource(PersistentVolumeResource), clock, onError }), () => opts.onEvent(ClusterEvent.PvChange));
    this.classes = wire(new Informer<StorageClass>({ client: client.resource(StorageClassResource), clock, onError }), () => opts.onEvent(ClusterEvent.StorageClassChange));
    const pvcs = client.resource(PersistentVolumeClaimResource);
    const pvs = client.resource(PersistentVolumeResource);
    this.access = {
      bindTimeoutMs: (opts.bindTimeoutSeconds ?? DEFAULT_BIND_TIMEOUT_SECONDS) * 1000,
      claim: (ns, name) => this.claims.store.get(`${ns}/${name}`),
      volume: (name) => this.volumes.store.get(name),
      volumes: () => this.volumes.store.list(),
      storageClass: (name) => this.classes.store.get(name),
      annotateClaim: async (ns, name, key, value) => {
        await pvcs.patch(name, { metadata: { annotations: { [key]: value } } }, { type: 'merge', namespace: ns });
      },
      setClaimRef: async (pvName, claim: PvcObj) => {
        const ref = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion };
        await pvs.patch(pvName, { spec: { claimRef: ref } }, { type: 'merge' });
      },
    };
  }

  start(): Promise<void> {
    return Promise.all([this.claims.start(), this.volumes.start(), this.classes.start()]).then(() => undefined);
  }

  stop(): Promise<void> {
    return Promise.all([this.claims.stop(), this.volumes.stop(), this.classes.stop()]).then(() => undefined);
  }
}

function wire<T extends KubeObject>(informer: Informer<T>, changed: () => void): Informer<T> {
  informer.on(InformerEvents.Add, changed).on(InformerEvents.Update, (a, b) => a !== b && changed()).on(InformerEvents.Delete, changed);
  return informer;
}
