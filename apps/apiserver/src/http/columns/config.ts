// Columns of the configuration and storage kinds, as `kubectl get` prints them for Kubernetes:
//   ConfigMap              NAME DATA AGE
//   Secret                 NAME TYPE DATA AGE
//   PersistentVolumeClaim  NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE | VOLUMEMODE
//   PersistentVolume       NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE | VOLUMEMODE
//   StorageClass           NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE
import { isDefaultStorageClass, type ConfigMap, type PersistentVolume, type PersistentVolumeClaim, type Secret, type StorageClass } from '@kite/api-types';
import { ageColumn, kindColumns, nameColumn, orNone, type Column } from './format.js';

/** How ACCESS MODES abbreviates each mode. */
const ACCESS_MODE_SHORT: Readonly<Record<string, string>> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};
/** Printed for an unset storage class, volume mode or attributes class. */
const UNSET = '<unset>';
/** The annotation that named a claim's storage class before spec.storageClassName existed. */
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

export function accessModes(modes: readonly string[] | undefined): string {
  return (modes ?? []).map((m) => ACCESS_MODE_SHORT[m] ?? m).join(',');
}

export function configMapColumns(): Column[] {
  const columns: Array<Column<ConfigMap>> = [
    nameColumn,
    { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData.', value: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length },
    ageColumn,
  ];
  return kindColumns(columns);
}

export function secretColumns(): Column[] {
  const columns: Array<Column<Secret>> = [
    nameColumn,
    { name: 'Type', description: 'The type of the secret.', value: (o) => o.type || 'Opaque' },
    { name: 'Data', type: 'integer', description: 'Number of keys in the secret.', value: (o) => Object.keys(o.data ?? {}).length },
    ageColumn,
  ];
  return kindColumns(columns);
}

function claimStatus(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
}

export function persistentVolumeClaimColumns(): Column[] {
  const bound = (o: PersistentVolumeClaim) => o.spec?.volumeName !== undefined && o.spec.volumeName !== '';
  const columns: Array<Column<PersistentVolumeClaim>> = [
    nameColumn,
    { name: 'Status', description: 'The phase of the claim.', value: claimStatus },
    { name: 'Volume', description: 'The volume bound to the claim.', value: (o) => o.spec?.volumeName ?? '' },
    { name: 'Capacity', description: 'The capacity of the bound volume.', value: (o) => (bound(o) ? String(o.status?.capacity?.storage ?? '') : '') },
    { name: 'Access Modes', description: 'How the volume may be mounted.', value: (o) => (bound(o) ? accessModes(o.status?.accessModes) : '') },
    { name: 'StorageClass', description: 'The storage class of the claim.', value: (o) => orNone(o.spec?.storageClassName ?? o.metadata.annotations?.[BETA_STORAGE_CLASS], UNSET) },
    { name: 'VolumeAttributesClass', description: 'The volume attributes class of the claim.', value: (o) => orNone(o.spec?.volumeAttributesClassName, UNSET) },
    ageColumn,
    { name: 'VolumeMode', priority: 1, description: 'Filesystem or Block.', value: (o) => orNone(o.spec?.volumeMode, UNSET) },
  ];
  return kindColumns(columns);
}

function volumeClaim(pv: PersistentVolume): string {
  const ref = pv.spec?.claimRef;
  return ref?.name ? `${ref.namespace ?? ''}/${ref.name}` : '';
}

export function persistentVolumeColumns(): Column[] {
  const columns: Array<Column<PersistentVolume>> = [
    nameColumn,
    { name: 'Capacity', description: 'The capacity of the volume.', value: (o) => String(o.spec?.capacity?.storage ?? '') },
    { name: 'Access Modes', description: 'How the volume may be mounted.', value: (o) => accessModes(o.spec?.accessModes) },
    { name: 'Reclaim Policy', description: 'What happens to the volume when its claim is released.', value: (o) => o.spec?.persistentVolumeReclaimPolicy ?? '' },
    { name: 'Status', description: 'The phase of the volume.', value: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '')) },
    { name: 'Claim', description: 'The claim bound to the volume.', value: volumeClaim },
    { name: 'StorageClass', description: 'The storage class of the volume.', value: (o) => orNone(o.spec?.storageClassName, UNSET) },
    { name: 'VolumeAttributesClass', description: 'The volume attributes class of the volume.', value: (o) => orNone(o.spec?.volumeAttributesClassName, UNSET) },
    { name: 'Reason', description: 'Why the volume is in its phase.', value: (o) => o.status?.reason ?? '' },
    ageColumn,
    { name: 'VolumeMode', priority: 1, description: 'Filesystem or Block.', value: (o) => orNone(o.spec?.volumeMode, UNSET) },
  ];
  return kindColumns(columns);
}

/** StorageClass NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class reads `name (default)`. */
export function storageClassColumns(): Column[] {
  const columns: Array<Column<StorageClass>> = [
    { ...nameColumn, value: (o) => `${o.metadata.name ?? ''}${isDefaultStorageClass(o) ? ' (default)' : ''}` },
    { name: 'Provisioner', description: 'The provisioner that makes volumes of this class.', value: (o) => o.provisioner },
    { name: 'ReclaimPolicy', description: 'Reclaim policy of the volumes it provisions.', value: (o) => o.reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', description: 'When claims are bound and provisioned.', value: (o) => o.volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', description: 'Whether claims of this class may grow.', value: (o) => String(o.allowVolumeExpansion ?? false) },
    ageColumn,
  ];
  return kindColumns(columns);
}
