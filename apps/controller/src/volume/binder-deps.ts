// What the binder's steps share: the caches they read, the client they write with, the Event
// recorder and the provisioner's settings. One object, built once by binder.ts.
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import { PersistentVolumeClaimResource, PersistentVolumeResource } from '@kite/api-types';
import type { DeepReadonly, Indexer, KubeClient } from '@kite/client';
import type { Recorder } from '../framework/events.js';
import type { ClaimView } from './claim-decision.js';
import type { LocalPathOptions } from './local-path.js';

export interface BinderDeps {
  claims: Indexer<PersistentVolumeClaim>;
  volumes: Indexer<PersistentVolume>;
  classes: Indexer<StorageClass>;
  nodes: Indexer<Node>;
  client: KubeClient;
  recorder: Recorder;
  localPath: LocalPathOptions;
}

export const claimApi = (deps: BinderDeps) => deps.client.resource(PersistentVolumeClaimResource);
export const volumeApi = (deps: BinderDeps) => deps.client.resource(PersistentVolumeResource);

/** The caches as the pure claim decision reads them. */
export function claimView(deps: BinderDeps): ClaimView {
  return {
    volumes: deps.volumes.list(),
    volume: (name) => deps.volumes.get(name),
    storageClass: (name) => deps.classes.get(name),
    nodeLabels: (name) => deps.nodes.get(name)?.metadata.labels,
  };
}

/** A writable copy of a cache object (cache objects are never changed in place). */
export function copy<T>(obj: DeepReadonly<T>): T {
  return structuredClone(obj) as T;
}
