// DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a claim created
// without spec.storageClassName (absent, not "") gets the cluster's default StorageClass, the one
// annotated `storageclass.kubernetes.io/is-default-class: "true"`. With several defaults the
// newest wins (then the first by name), as Kubernetes has chosen since 1.28. With none the claim
// stays without a class, and the PV binder may still give it one later.
import { isDefaultStorageClass, StorageClassResource, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import { isKind, untyped } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './interface.js';

export const NAME = 'DefaultStorageClass';
/** The annotation that named a claim's class before spec.storageClassName existed; it counts as a class. */
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** The default class among `classes`: the newest, then the first by name; undefined when none is marked. */
export function pickDefaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  const created = (sc: StorageClass) => Date.parse(sc.metadata.creationTimestamp ?? '') || 0;
  defaults.sort((a, b) => created(b) - created(a) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return defaults[0];
}

export class DefaultStorageClass implements MutatingPlugin {
  readonly name = NAME;
  constructor(private readonly ctx: AdmissionContext) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && attrs.subresource === '' && isKind(attrs, '', 'PersistentVolumeClaim');
  }

  async admit(_attrs: AdmissionAttributes, obj: PersistentVolumeClaim): Promise<void> {
    const spec = (obj.spec ??= {});
    if (spec.storageClassName !== undefined || obj.metadata.annotations?.[BETA_STORAGE_CLASS] !== undefined) return;
    const chosen = pickDefaultClass(await this.ctx.list<StorageClass>(untyped(StorageClassResource), ''));
    if (chosen?.metadata.name) spec.storageClassName = chosen.metadata.name;
  }
}

export const newDefaultStorageClass = (ctx: AdmissionContext): DefaultStorageClass => new DefaultStorageClass(ctx);
