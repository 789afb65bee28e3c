// Builders and waits shared by the storage acceptance tests: static PVs, claims, classes, and
// polling for a claim's phase or an Event on it.
import { EventResource, PersistentVolumeClaimResource, PersistentVolumeResource, type Event, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import type { KubeClient } from '@kite/client';
import { waitFor } from '@kite/testing';

/** Generous for a loaded 2-core machine; the binder reacts to watch events within milliseconds. */
export const STORAGE_TIMEOUT_MS = 20_000;

type AccessModes = NonNullable<PersistentVolume['spec']>['accessModes'];

export interface PvOpts {
  size?: string;
  className?: string;
  modes?: AccessModes;
  labels?: Record<string, string>;
  reclaim?: 'Retain' | 'Delete';
  volumeMode?: 'Filesystem' | 'Block';
  claimRef?: { namespace: string; name: string };
}

export function staticPv(name: string, o: PvOpts = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
      storageClassName: o.className ?? 'manual',
      hostPath: { path: `/tmp/kite-static/${name}` },
      ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
    },
  };
}

export interface PvcOpts {
  size?: string;
  /** undefined: no storageClassName (the default class applies); '' : explicitly none. */
  className?: string;
  modes?: AccessModes;
  selector?: Record<string, string>;
  volumeMode?: 'Filesystem' | 'Block';
  volumeName?: string;
  annotations?: Record<string, string>;
}

export function claim(namespace: string, name: string, o: PvcOpts = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.size ?? '1Gi' } },
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
      ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
  };
}

export function storageClass(name: string, o: Partial<StorageClass> = {}): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'kite.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer', ...o };
}

export async function claimPhase(client: KubeClient, namespace: string, name: string, phase: 'Pending' | 'Bound' | 'Lost'): Promise<PersistentVolumeClaim> {
  return waitFor(
    async () => {
      const pvc = await client.resource(PersistentVolumeClaimResource).get(name, { namespace });
      return pvc.status?.phase === phase ? pvc : undefined;
    },
    { timeoutMs: STORAGE_TIMEOUT_MS, message: `claim ${namespace}/${name} ${phase}` },
  );
}

export async function volumeWhere(client: KubeClient, name: string, test: (pv: PersistentVolume) => boolean, what: string): Promise<PersistentVolume> {
  return waitFor(
    async () => {
      const pv = await client.resource(PersistentVolumeResource).get(name);
      return test(pv) ? pv : undefined;
    },
    { timeoutMs: STORAGE_TIMEOUT_MS, message: `volume ${name} ${what}` },
  );
}

export async function gone(fetch: () => Promise<unknown>, what: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        await fetch();
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    },
    { timeoutMs: STORAGE_TIMEOUT_MS, message: `${what} gone` },
  );
}

export async function claimEvent(client: KubeClient, namespace: string, name: string, reason: string): Promise<Event> {
  return waitFor(
    async () => (await client.resource(EventResource).list({ namespace })).items.find((e) => e.involvedObject.name === name && e.involvedObject.kind === 'PersistentVolumeClaim' && e.reason === reason),
    { timeoutMs: STORAGE_TIMEOUT_MS, message: `Event ${reason} on claim ${namespace}/${name}` },
  );
}
