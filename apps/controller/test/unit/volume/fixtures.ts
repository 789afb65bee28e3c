// Tiny builders for the volume table tests: a claim, a volume and a class with just the fields a
// case is about.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import type { ClaimView } from '../../../src/volume/claim-decision.js';
import { claim as apiClaim, type PvcOpts } from '../../helpers/storage.js';

export interface ClaimOpts extends PvcOpts {
  phase?: 'Pending' | 'Bound' | 'Lost';
}

/** A claim in namespace `ns` with uid `uid-NAME`, built as the acceptance tests build theirs. */
export function claim(name: string, o: ClaimOpts = {}): PersistentVolumeClaim {
  const pvc = apiClaim('ns', name, o);
  pvc.metadata.uid = `uid-${name}`;
  pvc.status = { phase: o.phase ?? 'Pending' };
  return pvc;
}

export interface VolumeOpts {
  size?: string;
  modes?: NonNullable<PersistentVolume['spec']>['accessModes'];
  className?: string;
  labels?: Record<string, string>;
  volumeMode?: 'Filesystem' | 'Block';
  claimRef?: { name: string; uid?: string };
  phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';
  node?: string;
  deleting?: boolean;
  reclaim?: 'Retain' | 'Delete' | 'Recycle';
  annotations?: Record<string, string>;
}

export function volume(name: string, o: VolumeOpts = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      hostPath: { path: `/data/${name}` },
      persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
      ...(o.claimRef ? { claimRef: { namespace: 'ns', name: o.claimRef.name, ...(o.claimRef.uid !== undefined ? { uid: o.claimRef.uid } : {}) } } : {}),
      ...(o.node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } } : {}),
    },
    status: { phase: o.phase ?? 'Available' },
  };
}

export function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer' = 'Immediate', o: Partial<StorageClass> = {}): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'kite.dev/local-path', volumeBindingMode: mode, reclaimPolicy: 'Delete', ...o };
}

export function view(volumes: PersistentVolume[], classes: StorageClass[] = []): ClaimView {
  return {
    volumes,
    volume: (n) => volumes.find((v) => v.metadata.name === n),
    storageClass: (n) => classes.find((c) => c.metadata.name === n),
    nodeLabels: (n) => ({ 'kubernetes.io/hostname': n }),
  };
}
