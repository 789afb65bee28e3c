// core/v1 PersistentVolume: a piece of storage in the cluster (cluster-scoped), bound to at most one
// PersistentVolumeClaim through claimRef.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { kindSchema, type StatusCause } from '../meta/v1.js';
import { compareQuantities, ResourceList } from '../quantity.js';
import { AtomicList, OptBool, OptString, StringEnum } from '../schema.js';
import { forbidden, invalid, notSupported, required } from '../validation/causes.js';
import { validateImmutable, validateResourceList } from '../validation/fields.js';
import { NodeSelector } from './affinity.js';
import { validateNodeSelectorTerms } from './affinity-validation.js';
import { ACCESS_MODES, VOLUME_MODES } from './persistentvolumeclaim.js';
import { ObjectReference } from './reference.js';

/** The `hostPath.type` values Kubernetes knows ('' = no check). */
export const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;
export const PERSISTENT_VOLUME_PHASES = ['Pending', 'Available', 'Bound', 'Released', 'Failed'] as const;
export type PersistentVolumePhase = (typeof PERSISTENT_VOLUME_PHASES)[number];

/** Sources a PersistentVolume may use (one of them). */
export const PERSISTENT_VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume',
  'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
] as const;

export const PersistentVolumeSpec = Type.Object(
  {
    capacity: Type.Optional(ResourceList),
    accessModes: Type.Optional(AtomicList(StringEnum(ACCESS_MODES))),
    claimRef: Type.Optional(ObjectReference),
    persistentVolumeReclaimPolicy: Type.Optional(StringEnum(['Retain', 'Recycle', 'Delete'] as const, { description: 'What happens when the claim is released; defaults to Retain.' })),
    storageClassName: OptString(),
    mountOptions: Type.Optional(AtomicList(Type.String())),
    volumeMode: Type.Optional(StringEnum(VOLUME_MODES)),
    nodeAffinity: Type.Optional(Type.Object({ required: Type.Optional(NodeSelector) })),
    volumeAttributesClassName: OptString(),
    hostPath: Type.Optional(Type.Object({ path: Type.String(), type: OptString() })),
    local: Type.Optional(Type.Object({ path: Type.String(), fsType: OptString() })),
    nfs: Type.Optional(Type.Object({ server: Type.String(), path: Type.String(), readOnly: OptBool() })),
    csi: Type.Optional(Type.Object({ driver: Type.String(), volumeHandle: Type.String(), readOnly: OptBool(), fsType: OptString() })),
  },
  { description: 'A piece of storage and how it may be used.' },
);
export type PersistentVolumeSpec = Static<typeof PersistentVolumeSpec>;

export const PersistentVolumeStatus = Type.Object({
  phase: Type.Optional(StringEnum(PERSISTENT_VOLUME_PHASES)),
  message: OptString(),
  reason: OptString(),
  lastPhaseTransitionTime: OptString(),
});

export const PersistentVolume = kindSchema('v1', 'PersistentVolume', PersistentVolumeSpec, PersistentVolumeStatus, 'A piece of storage provisioned in the cluster.');
export type PersistentVolume = Static<typeof PersistentVolume>;

function presentSources(spec: PersistentVolumeSpec): string[] {
  const rec = spec as Record<string, unknown>;
  return PERSISTENT_VOLUME_SOURCES.filter((s) => rec[s] !== undefined && rec[s] !== null);
}

function validatePersistentVolume(pv: PersistentVolume, old?: PersistentVolume): StatusCause[] {
  const spec = pv.spec ?? {};
  const out: StatusCause[] = [];
  if (!spec.accessModes?.length) out.push(required('spec.accessModes'));
  const storage = spec.capacity?.storage;
  if (storage === undefined) out.push(required('spec.capacity[storage]'));
  out.push(...validateResourceList(spec.capacity, 'spec.capacity'));
  if (storage !== undefined && out.length === 0 && compareQuantities(storage, 0) <= 0) out.push(invalid('spec.capacity[storage]', storage, 'must be greater than zero'));
  const sources = presentSources(spec);
  if (sources.length === 0) out.push(required('spec', 'must specify a volume type'));
  out.push(...sources.slice(1).map((s) => forbidden(`spec.${s}`, 'may not specify more than 1 volume type')));
  const hostPathType = spec.hostPath?.type;
  if (hostPathType !== undefined && !(HOST_PATH_TYPES as readonly string[]).includes(hostPathType)) out.push(notSupported('spec.hostPath.type', hostPathType, HOST_PATH_TYPES));
  const req = spec.nodeAffinity?.required;
  if (req) out.push(...validateNodeSelectorTerms(req, 'spec.nodeAffinity.required'));
  if (spec.local && !req) out.push(required('spec.nodeAffinity', 'Local volumes require node affinity'));
  if (old) out.push(...validateVolumeUpdate(spec, old.spec ?? {}));
  return out;
}

/** ValidatePersistentVolumeUpdate: the source and the volume mode are fixed; node affinity once set. */
function validateVolumeUpdate(next: PersistentVolumeSpec, prev: PersistentVolumeSpec): StatusCause[] {
  const source = (spec: PersistentVolumeSpec) => Object.fromEntries(presentSources(spec).map((s) => [s, (spec as Record<string, unknown>)[s]]));
  const out: StatusCause[] = [];
  if (JSON.stringify(source(next)) !== JSON.stringify(source(prev))) out.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  out.push(...validateImmutable(next.volumeMode, prev.volumeMode, 'spec.volumeMode'));
  if (prev.nodeAffinity) out.push(...validateImmutable(next.nodeAffinity, prev.nodeAffinity, 'spec.nodeAffinity'));
  return out;
}

export const PersistentVolumeResource = defineResource<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  shortNames: ['pv'],
  namespaced: false,
  schema: PersistentVolume,
  status: true,
  defaults: (pv) => {
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    (pv.status ??= {}).phase ??= 'Pending';
  },
  validate: validatePersistentVolume,
});
