// apps/v1 ReplicaSet: keeps a number of identical pods running. Usually owned by a Deployment, one
// per template revision (`kubectl rollout history` reads their revision annotations).
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { KeyedList, OptInt } from '../schema.js';
import { required } from '../validation/causes.js';
import { validateImmutable, validateNonNegative } from '../validation/fields.js';
import { validateSelectorMatchesTemplate, validateServingTemplate } from './workload.js';

export const ReplicaSetSpec = Type.Object(
  {
    replicas: OptInt('Desired number of pods; defaults to 1.'),
    minReadySeconds: OptInt(),
    selector: LabelSelector,
    template: Type.Optional(PodTemplateSpec),
  },
  { description: 'The desired state of a ReplicaSet.' },
);
export type ReplicaSetSpec = Static<typeof ReplicaSetSpec>;

export const ReplicaSetStatus = Type.Object(
  {
    replicas: OptInt('Pods whose labels match the selector.'),
    fullyLabeledReplicas: OptInt(),
    readyReplicas: OptInt(),
    availableReplicas: OptInt(),
    terminatingReplicas: OptInt(),
    observedGeneration: OptInt(),
    conditions: Type.Optional(KeyedList(Condition, 'type')),
  },
  { description: 'The observed state of a ReplicaSet.' },
);
export type ReplicaSetStatus = Static<typeof ReplicaSetStatus>;

export const ReplicaSet = kindSchema('apps/v1', 'ReplicaSet', ReplicaSetSpec, ReplicaSetStatus, 'Keeps a stable set of replica pods running.');
export type ReplicaSet = Static<typeof ReplicaSet>;

function validateReplicaSet(rs: ReplicaSet, old?: ReplicaSet): StatusCause[] {
  const spec = rs.spec;
  if (!spec) return [required('spec.selector')];
  const out = [
    ...validateNonNegative(spec.replicas, 'spec.replicas'),
    ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateSelectorMatchesTemplate(spec.selector, spec.template, 'deployment'),
    ...validateServingTemplate(spec.template),
  ];
  if (old?.spec) out.push(...validateImmutable(spec.selector, old.spec.selector, 'spec.selector'));
  return out;
}

export const ReplicaSetResource = defineResource<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  shortNames: ['rs'],
  namespaced: true,
  categories: ['all'],
  schema: ReplicaSet,
  status: true,
  // Like Deployments, ReplicaSet status carries no selector; the apiserver renders spec.selector.
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  defaults: (rs) => {
    if (!rs.spec) return;
    rs.spec.replicas ??= 1;
    defaultPodTemplate(rs.spec.template);
  },
  validate: validateReplicaSet,
  fieldSelectors: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
});
