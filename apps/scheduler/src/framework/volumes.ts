// VolumeAccess: what volume binding reads (claims, volumes and classes from the scheduler's
// informer caches) and the two writes it makes, kept behind one narrow interface so the plugin's
// decisions can be table-tested with plain objects and its writes pointed at a real apiserver.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export type PvcObj = DeepReadonly<PersistentVolumeClaim>;
export type PvObj = DeepReadonly<PersistentVolume>;
export type StorageClassObj = DeepReadonly<StorageClass>;

export interface VolumeLister {
  claim(namespace: string, name: string): PvcObj | undefined;
  volume(name: string): PvObj | undefined;
  volumes(): readonly PvObj[];
  storageClass(name: string): StorageClassObj | undefined;
}

export interface VolumeWriter {
  /** Sets an annotation on a claim (volume.kubernetes.io/selected-node). */
  annotateClaim(namespace: string, name: string, key: string, value: string): Promise<void>;
  /** Pre-binds a static volume to a claim (spec.claimRef), for the binder to complete. */
  setClaimRef(pvName: string, claim: PvcObj): Promise<void>;
}

export interface VolumeAccess extends VolumeLister, VolumeWriter {
  /** How long PreBind waits for claims to be bound (--bind-timeout-seconds). */
  bindTimeoutMs: number;
}
