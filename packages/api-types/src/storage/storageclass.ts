// storage.k8s.io/v1 StorageClass (cluster-scoped, `sc`): a kind of storage a claim asks for by
// name, and the provisioner that makes volumes of it. The class annotated
// `storageclass.kubernetes.io/is-default-class: "true"` is given to claims that name none (the
// DefaultStorageClass admission plugin). Field rules and messages follow Kubernetes'
// pkg/apis/storage/validation: provisioner, parameters and reclaimPolicy are fixed once created.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { AtomicList, OptBool, StringEnum } from '../schema.js';
import { forbidden, invalid, notSupported, required } from '../validation/causes.js';
import { validateImmutable } from '../validation/fields.js';
import { checkQualifiedName } from '../validation/names.js';

/** The annotation that marks the cluster's default class. */
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** The pre-GA spelling Kubernetes still honours. */
export const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const RECLAIM_POLICIES = ['Delete', 'Retain'] as const;
export const VOLUME_BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
export type VolumeBindingMode = (typeof VOLUME_BINDING_MODES)[number];
/** Total bytes of keys and values Kubernetes allows in parameters. */
const MAX_PARAMETERS_BYTES = 256 * 1024;
/** At most this many parameters. */
const MAX_PARAMETERS = 512;

const TopologySelectorTerm = Type.Object({
  matchLabelExpressions: Type.Optional(AtomicList(Type.Object({ key: Type.String(), values: AtomicList(Type.String()) }))),
});

export const StorageClass = Type.Object(
  {
    apiVersion: Type.Literal('storage.k8s.io/v1'),
    kind: Type.Literal('StorageClass'),
    metadata: ObjectMeta,
    provisioner: Type.String({ description: 'The provisioner that makes volumes of this class (kite: kite.dev/local-path). Immutable.' }),
    parameters: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "The provisioner's settings. Immutable." })),
    reclaimPolicy: Type.Optional(StringEnum(RECLAIM_POLICIES, { description: 'Reclaim policy of the volumes it provisions; defaults to Delete. Immutable.' })),
    mountOptions: Type.Optional(AtomicList(Type.String())),
    allowVolumeExpansion: OptBool('Whether claims of this class may grow.'),
    volumeBindingMode: Type.Optional(StringEnum(VOLUME_BINDING_MODES, { description: 'When claims are bound and provisioned; defaults to Immediate.' })),
    allowedTopologies: Type.Optional(AtomicList(TopologySelectorTerm)),
  },
  { description: 'A class of storage and the provisioner that makes it.' },
);
export type StorageClass = Static<typeof StorageClass>;

/** Whether a class carries the default-class annotation (either spelling), as Kubernetes reads it. */
export function isDefaultStorageClass(sc: { metadata: { annotations?: Record<string, string> } }): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

function validateParameters(params: Record<string, string> | undefined): StatusCause[] {
  const entries = Object.entries(params ?? {});
  const out: StatusCause[] = [];
  if (entries.length > MAX_PARAMETERS) out.push(invalid('parameters', entries.length, `must have at most ${MAX_PARAMETERS} parameters`));
  const bytes = entries.reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (bytes > MAX_PARAMETERS_BYTES) out.push(invalid('parameters', bytes, `must be less than ${MAX_PARAMETERS_BYTES} bytes`));
  for (const [k] of entries) if (k === '') out.push(invalid('parameters', k, 'field can not be empty.'));
  return out;
}

function validateStorageClass(sc: StorageClass, old?: StorageClass): StatusCause[] {
  const out: StatusCause[] = [];
  if (!sc.provisioner) out.push(required('provisioner'));
  else out.push(...checkQualifiedName(sc.provisioner).map((m) => invalid('provisioner', sc.provisioner, m)));
  out.push(...validateParameters(sc.parameters));
  if (sc.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) out.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode === undefined) out.push(required('volumeBindingMode'));
  if (!old) return out;
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) out.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) out.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) out.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  out.push(...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return out;
}

export const StorageClassResource = defineResource<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  shortNames: ['sc'],
  namespaced: false,
  schema: StorageClass,
  defaults: (sc) => {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validate: validateStorageClass,
});
