// PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize): a claim's
// storage request may grow only when the claim is Bound and its StorageClass says
// allowVolumeExpansion: true; otherwise 403 Forbidden with Kubernetes' messages. Shrinking is
// refused by validation (422), and the expansion itself is the volume expander controller's work.
import { compareQuantities, StorageClassResource, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import { admissionForbidden, isKind, untyped } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, ValidatingPlugin } from './interface.js';

export const NAME = 'PersistentVolumeClaimResize';
export const ONLY_BOUND_MESSAGE = 'Only bound persistent volume claims can be expanded';
export const NOT_RESIZABLE_MESSAGE = 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';

function grows(next: PersistentVolumeClaim, prev: PersistentVolumeClaim): boolean {
  const now = next.spec?.resources?.requests?.storage;
  const was = prev.spec?.resources?.requests?.storage;
  if (now === undefined || was === undefined) return false;
  try {
    return compareQuantities(now, was) > 0;
  } catch {
    return false; // a malformed quantity is validation's to report
  }
}

export class PersistentVolumeClaimResize implements ValidatingPlugin {
  readonly name = NAME;
  constructor(private readonly ctx: AdmissionContext) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'UPDATE' && attrs.subresource === '' && isKind(attrs, '', 'PersistentVolumeClaim');
  }

  async validate(attrs: AdmissionAttributes, obj: PersistentVolumeClaim, old: PersistentVolumeClaim | undefined): Promise<void> {
    if (!old || !grows(obj, old)) return;
    if (old.status?.phase !== 'Bound') throw admissionForbidden(attrs, obj, ONLY_BOUND_MESSAGE);
    if (!(await this.allowResize(old))) throw admissionForbidden(attrs, obj, NOT_RESIZABLE_MESSAGE);
  }

  /** Only claims of a class that exists and allows expansion may grow. */
  private async allowResize(pvc: PersistentVolumeClaim): Promise<boolean> {
    const name = pvc.spec?.storageClassName;
    if (!name) return false;
    const sc = await this.ctx.get<StorageClass>(untyped(StorageClassResource), '', name);
    return sc?.allowVolumeExpansion === true;
  }
}

export const newPersistentVolumeClaimResize = (ctx: AdmissionContext): PersistentVolumeClaimResize => new PersistentVolumeClaimResize(ctx);
