// apps/v1 StatefulSet: pods with stable identities (name-0, name-1, ...) and per-pod storage from
// volumeClaimTemplates, created and updated in order.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, ObjectMeta, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { defaultPersistentVolumeClaimSpec, PersistentVolumeClaimSpec, validatePersistentVolumeClaimSpec } from '../core/persistentvolumeclaim.js';
import { isIntOrPercent } from '../intstr.js';
import { AtomicList, IntOrString, KeyedList, OptInt, OptString, StringEnum } from '../schema.js';
import { deepEqual } from '../util/equal.js';
import { forbidden, invalid, required } from '../validation/causes.js';
import { validateDns1123Label, validateImmutable, validateNonNegative } from '../validation/fields.js';
import { DEFAULT_REVISION_HISTORY_LIMIT } from './deployment.js';
import { validateSelectorMatchesTemplate, validateServingTemplate } from './workload.js';

const RETENTION = ['Retain', 'Delete'] as const;

export const StatefulSetUpdateStrategy = Type.Object({
  type: Type.Optional(StringEnum(['RollingUpdate', 'OnDelete'] as const, { description: 'RollingUpdate (default) or OnDelete.' })),
  rollingUpdate: Type.Optional(
    Type.Object({
      partition: OptInt('Only pods with an ordinal >= partition are updated; defaults to 0.'),
      maxUnavailable: Type.Optional(IntOrString()),
    }),
  ),
});

export const StatefulSetSpec = Type.Object(
  {
    replicas: OptInt('Desired number of pods; defaults to 1.'),
    selector: LabelSelector,
    template: PodTemplateSpec,
    volumeClaimTemplates: Type.Optional(
      AtomicList(Type.Object({ apiVersion: OptString(), kind: OptString(), metadata: Type.Optional(ObjectMeta), spec: Type.Optional(PersistentVolumeClaimSpec) }), 'Claims each pod gets, named <template>-<pod>.'),
    ),
    serviceName: OptString('Headless service that gives the pods their DNS names.'),
    podManagementPolicy: Type.Optional(StringEnum(['OrderedReady', 'Parallel'] as const, { description: 'OrderedReady (default) or Parallel.' })),
    updateStrategy: Type.Optional(StatefulSetUpdateStrategy),
    revisionHistoryLimit: OptInt('ControllerRevisions to keep; defaults to 10.'),
    minReadySeconds: OptInt(),
    persistentVolumeClaimRetentionPolicy: Type.Optional(
      Type.Object({ whenDeleted: Type.Optional(StringEnum(RETENTION)), whenScaled: Type.Optional(StringEnum(RETENTION)) }),
    ),
    ordinals: Type.Optional(Type.Object({ start: OptInt('First ordinal; defaults to 0.') })),
  },
  { description: 'The desired state of a StatefulSet.' },
);
export type StatefulSetSpec = Static<typeof StatefulSetSpec>;

export const StatefulSetStatus = Type.Object({
  observedGeneration: OptInt(),
  replicas: OptInt(),
  readyReplicas: OptInt(),
  currentReplicas: OptInt(),
  updatedReplicas: OptInt(),
  availableReplicas: OptInt(),
  currentRevision: OptString(),
  updateRevision: OptString(),
  collisionCount: OptInt(),
  conditions: Type.Optional(KeyedList(Condition, 'type')),
});
export type StatefulSetStatus = Static<typeof StatefulSetStatus>;

export const StatefulSet = kindSchema('apps/v1', 'StatefulSet', StatefulSetSpec, StatefulSetStatus, 'Pods with stable names and storage, managed in order.');
export type StatefulSet = Static<typeof StatefulSet>;

function defaultStatefulSet(sts: StatefulSet): void {
  const spec = sts.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ??= 'Retain';
  retention.whenScaled ??= 'Retain';
  defaultPodTemplate(spec.template);
  for (const t of spec.volumeClaimTemplates ?? []) defaultPersistentVolumeClaimSpec((t.spec ??= {}));
}

/** Fields of a StatefulSet spec that may change after creation. */
const MUTABLE_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;

function validateStatefulSetUpdate(next: StatefulSetSpec, prev: StatefulSetSpec): StatusCause[] {
  const a: Record<string, unknown> = { ...next };
  const b: Record<string, unknown> = { ...prev };
  // The selector gets its own cause, naming the field.
  for (const f of [...MUTABLE_FIELDS, 'selector']) {
    delete a[f];
    delete b[f];
  }
  const out = validateImmutable(next.selector, prev.selector, 'spec.selector');
  if (!deepEqual(a, b)) {
    out.push(forbidden('spec', `updates to statefulset spec for fields other than ${MUTABLE_FIELDS.map((f) => `'${f}'`).join(', ')} are forbidden`));
  }
  return out;
}

function validateStatefulSet(sts: StatefulSet, old?: StatefulSet): StatusCause[] {
  const spec = sts.spec;
  if (!spec) return [required('spec.selector'), required('spec.template')];
  const out = [
    ...validateNonNegative(spec.replicas, 'spec.replicas'),
    ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ...validateNonNegative(spec.ordinals?.start, 'spec.ordinals.start'),
    ...validateSelectorMatchesTemplate(spec.selector, spec.template, 'statefulset'),
    // Each pod gets a volume per claim template, so mounts may name them.
    ...validateServingTemplate(spec.template, 'spec.template', { extraVolumes: (spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '') }),
  ];
  if (spec.serviceName) out.push(...validateDns1123Label(spec.serviceName, 'spec.serviceName'));
  const ru = spec.updateStrategy?.rollingUpdate;
  if (spec.updateStrategy?.type === 'OnDelete' && ru) out.push(forbidden('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"));
  out.push(...validateNonNegative(ru?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  if (ru?.maxUnavailable !== undefined && !isIntOrPercent(ru.maxUnavailable)) {
    out.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, "must be an integer or percentage (e.g '5%')"));
  }
  spec.volumeClaimTemplates?.forEach((t, i) => {
    const f = `spec.volumeClaimTemplates[${i}]`;
    if (!t.metadata?.name) out.push(required(`${f}.metadata.name`));
    else out.push(...validateDns1123Label(t.metadata.name, `${f}.metadata.name`));
    out.push(...validatePersistentVolumeClaimSpec(t.spec, `${f}.spec`));
  });
  if (old?.spec) out.push(...validateStatefulSetUpdate(spec, old.spec));
  return out;
}

export const StatefulSetResource = defineResource<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  shortNames: ['sts'],
  namespaced: true,
  categories: ['all'],
  schema: StatefulSet,
  status: true,
  // StatefulSet status carries no selector either; the apiserver renders spec.selector.
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  defaults: defaultStatefulSet,
  validate: validateStatefulSet,
});

/** The label naming a StatefulSet pod (a Service can select one pod by it). */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** The label carrying a StatefulSet pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
