// The built-in `kite.dev/local-path` provisioner (as k3s's local-path-provisioner): one directory
// per volume, `<root>/<pvName>`, on the node the scheduler chose for the claim, as a hostPath PV
// (DirectoryOrCreate) with node affinity to that node. The directory is made by that node's
// kubelet when it mounts the volume and removed by it when the PV is deleted (the finalizer
// kite.dev/local-path-cleanup), since only the node can touch its own disk.
//
// planLocalPathVolume is pure: the claim, its class and the node in; the PV to create, or the
// reason it cannot be made (which the binder reports as ProvisioningFailed and retries later).
import { compareQuantities, isValidQuantity, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_YES, HOSTNAME_LABEL, IS_DEFAULT_ANNOTATION, LOCAL_PATH_CLASS, LOCAL_PATH_CLEANUP_FINALIZER, LOCAL_PATH_MAX_SIZE_PARAMETER, LOCAL_PATH_PROVISIONER } from './names.js';

type PVC = DeepReadonly<PersistentVolumeClaim>;
type SC = DeepReadonly<StorageClass>;

export interface LocalPathOptions {
  /** `--local-path-root`. */
  root: string;
  /** `--local-path-max-size`. */
  maxSize: string;
}

export type LocalPathPlan = { volume: PersistentVolume } | { error: string };

/** Kubernetes names a provisioned volume after its claim's uid. */
export const provisionedVolumeName = (claim: PVC): string => `pvc-${claim.metadata.uid ?? ''}`;

/** The largest volume the class may have: the flag, lowered by the class's maxSize parameter. */
function maxSizeFor(sc: SC, opts: LocalPathOptions): { max: string } | { error: string } {
  const param = sc.parameters?.[LOCAL_PATH_MAX_SIZE_PARAMETER];
  if (param === undefined) return { max: opts.maxSize };
  if (!isValidQuantity(param)) return { error: `invalid parameter ${LOCAL_PATH_MAX_SIZE_PARAMETER} ${JSON.stringify(param)}: not a quantity` };
  return { max: compareQuantities(param, opts.maxSize) < 0 ? param : opts.maxSize };
}

function refusal(claim: PVC, node: string | undefined): string | undefined {
  if (!node) return `configuration error, no node was specified: ${LOCAL_PATH_PROVISIONER} needs volumeBindingMode WaitForFirstConsumer`;
  if (claim.spec?.selector) return 'claim.Spec.Selector is not supported for dynamic provisioning';
  if (claim.spec?.volumeMode === 'Block') return `volumeMode Block is not supported by ${LOCAL_PATH_PROVISIONER}`;
  if (claim.spec?.dataSource || claim.spec?.dataSourceRef) return `data sources are not supported by ${LOCAL_PATH_PROVISIONER}`;
  return undefined;
}

export function planLocalPathVolume(claim: PVC, sc: SC, node: string | undefined, hostname: string | undefined, opts: LocalPathOptions): LocalPathPlan {
  const refused = refusal(claim, node);
  if (refused || !node) return { error: refused ?? '' };
  const requested = claim.spec?.resources?.requests?.storage ?? 0;
  const limit = maxSizeFor(sc, opts);
  if ('error' in limit) return limit;
  if (compareQuantities(requested, limit.max) > 0) return { error: `requested storage ${requested} exceeds the maximum volume size ${limit.max} of ${LOCAL_PATH_PROVISIONER}` };
  const name = provisionedVolumeName(claim);
  const volume: PersistentVolume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER, [ANN_BOUND_BY_CONTROLLER]: ANN_YES },
      finalizers: [LOCAL_PATH_CLEANUP_FINALIZER],
    },
    spec: {
      capacity: { storage: requested },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace ?? '', name: claim.metadata.name ?? '', uid: claim.metadata.uid ?? '', resourceVersion: claim.metadata.resourceVersion ?? '' },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name ?? '',
      volumeMode: 'Filesystem',
      ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
      hostPath: { path: `${opts.root.replace(/\/+$/, '')}/${name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname ?? node] }] }] } },
    },
  };
  return { volume };
}

/** The class the provisioner makes at start when absent: the cluster default unless another is. */
export function localPathStorageClass(isDefault: boolean): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, ...(isDefault ? { annotations: { [IS_DEFAULT_ANNOTATION]: 'true' } } : {}) },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}
