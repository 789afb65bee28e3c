// StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection): every
// new PersistentVolumeClaim gets the finalizer `kubernetes.io/pvc-protection` and every new
// PersistentVolume `kubernetes.io/pv-protection`, so deleting one that a pod still uses (or a
// volume still Bound) only marks it Terminating; the pvc-protection and pv-protection controllers
// remove the finalizer once nothing uses it any more.
import type { KubeObject } from '@kite/api-types';
import { isKind } from './attributes.js';
import type { AdmissionAttributes, MutatingPlugin } from './interface.js';

export const NAME = 'StorageObjectInUseProtection';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export class StorageObjectInUseProtection implements MutatingPlugin {
  readonly name = NAME;

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && attrs.subresource === '' && (isKind(attrs, '', 'PersistentVolumeClaim') || isKind(attrs, '', 'PersistentVolume'));
  }

  admit(attrs: AdmissionAttributes, obj: KubeObject): void {
    const finalizer = attrs.rt.kind === 'PersistentVolume' ? PV_PROTECTION_FINALIZER : PVC_PROTECTION_FINALIZER;
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
  }
}

export const newStorageObjectInUseProtection = (): StorageObjectInUseProtection => new StorageObjectInUseProtection();
