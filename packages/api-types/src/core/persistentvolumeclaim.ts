// core/v1 PersistentVolumeClaim: a pod's request for storage, bound to a PersistentVolume.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { compareQuantities, ResourceList } from '../quantity.js';
import { AtomicList, KeyedList, OptString, StringEnum } from '../schema.js';
import { deepEqual } from '../util/equal.js';
import { forbidden, invalid, required } from '../validation/causes.js';
import { validateLabelSelector, validateResourceList } from '../validation/fields.js';
import { TypedLocalObjectReference } from './reference.js';

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
export const VOLUME_MODES = ['Filesystem', 'Block'] as const;

export const PersistentVolumeClaimSpec = Type.Object(
  {
    accessModes: Type.Optional(AtomicList(StringEnum(ACCESS_MODES), 'How the volume may be mounted.')),
    selector: Type.Optional(LabelSelector),
    resources: Type.Optional(Type.Object({ limits: Type.Optional(ResourceList), requests: Type.Optional(ResourceList) })),
    volumeName: OptString('The PersistentVolume this claim is bound to.'),
    storageClassName: OptString(),
    volumeMode: Type.Optional(StringEnum(VOLUME_MODES, { description: 'Filesystem (default) or Block.' })),
    dataSource: Type.Optional(TypedLocalObjectReference),
    dataSourceRef: Type.Optional(Type.Object({ apiGroup: OptString(), kind: Type.String(), name: Type.String(), namespace: OptString() })),
    volumeAttributesClassName: OptString(),
  },
  { description: 'The storage a claim asks for.' },
);
export type PersistentVolumeClaimSpec = Static<typeof PersistentVolumeClaimSpec>;

export const PERSISTENT_VOLUME_CLAIM_PHASES = ['Pending', 'Bound', 'Lost'] as const;
export type PersistentVolumeClaimPhase = (typeof PERSISTENT_VOLUME_CLAIM_PHASES)[number];

export const PersistentVolumeClaimStatus = Type.Object({
  phase: Type.Optional(StringEnum(PERSISTENT_VOLUME_CLAIM_PHASES)),
  accessModes: Type.Optional(AtomicList(StringEnum(ACCESS_MODES))),
  capacity: Type.Optional(ResourceList),
  conditions: Type.Optional(KeyedList(Condition, 'type')),
  allocatedResources: Type.Optional(ResourceList),
  allocatedResourceStatuses: Type.Optional(Type.Record(Type.String(), Type.String(), { 'x-kubernetes-map-type': 'granular' })),
  currentVolumeAttributesClassName: OptString(),
});

export const PersistentVolumeClaim = kindSchema('v1', 'PersistentVolumeClaim', PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, "A user's request for storage.");
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaim>;

export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
}

/** Claim spec rules, shared with StatefulSet volumeClaimTemplates. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: string): StatusCause[] {
  const modes = spec?.accessModes ?? [];
  const out: StatusCause[] = [];
  if (modes.length === 0) out.push(required(`${path}.accessModes`, 'at least 1 access mode is required'));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    out.push(forbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  }
  const storage = spec?.resources?.requests?.storage;
  if (storage === undefined) out.push(required(`${path}.resources[storage]`));
  else if (compareQuantities(storage, 0) <= 0) out.push(invalid(`${path}.resources[storage]`, storage, 'must be greater than zero'));
  out.push(...validateResourceList(spec?.resources?.requests, `${path}.resources.requests`));
  out.push(...validateResourceList(spec?.resources?.limits, `${path}.resources.limits`));
  out.push(...validateLabelSelector(spec?.selector, `${path}.selector`));
  return out;
}

function validateClaimUpdate(next: PersistentVolumeClaimSpec, prev: PersistentVolumeClaimSpec): StatusCause[] {
  // Binding fills volumeName once; storage may grow (volume expansion). The rest is fixed.
  const a = structuredClone(next);
  const b = structuredClone(prev);
  if (!prev.volumeName) {
    delete a.volumeName;
    delete b.volumeName;
    // An unbound claim without a class may be given one later (retroactive default class).
    if (prev.storageClassName === undefined) {
      delete a.storageClassName;
      delete b.storageClassName;
    }
  }
  delete a.resources;
  delete b.resources;
  delete a.volumeAttributesClassName;
  delete b.volumeAttributesClassName;
  const out: StatusCause[] = [];
  if (!deepEqual(a, b)) out.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  const was = prev.resources?.requests?.storage;
  const now = next.resources?.requests?.storage;
  if (was !== undefined && now !== undefined && compareQuantities(now, was) < 0) {
    out.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return out;
}

export const PersistentVolumeClaimResource = defineResource<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  shortNames: ['pvc'],
  namespaced: true,
  schema: PersistentVolumeClaim,
  status: true,
  defaults: (pvc) => {
    defaultPersistentVolumeClaimSpec((pvc.spec ??= {}));
    (pvc.status ??= {}).phase ??= 'Pending';
  },
  validate: (pvc, old) => {
    const out = validatePersistentVolumeClaimSpec(pvc.spec, 'spec');
    if (old?.spec) out.push(...validateClaimUpdate(pvc.spec ?? {}, old.spec));
    return out;
  },
});
