// apps/v1 DaemonSet: one pod on every eligible node (node selector, required node affinity,
// taints against tolerations). The daemon-set controller creates each pod pinned to its node
// through node affinity and lets the scheduler bind it; it keeps its history in ControllerRevisions
// and rolls template changes node by node (RollingUpdate within maxUnavailable/maxSurge, or
// OnDelete: only pods deleted by hand are replaced).
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { isIntOrPercent, percentOf } from '../intstr.js';
import { IntOrString, KeyedList, OptInt, StringEnum } from '../schema.js';
import { invalid, required } from '../validation/causes.js';
import { validateImmutable, validateNonNegative } from '../validation/fields.js';
import { DEFAULT_REVISION_HISTORY_LIMIT } from './deployment.js';
import { validateSelectorMatchesTemplate, validateServingTemplate } from './workload.js';

/** A DaemonSet rolls one node at a time unless told otherwise, and never surges by default. */
export const DAEMONSET_DEFAULT_MAX_UNAVAILABLE = 1;
export const DAEMONSET_DEFAULT_MAX_SURGE = 0;

export const RollingUpdateDaemonSet = Type.Object({
  maxUnavailable: Type.Optional(IntOrString('Nodes whose daemon pod may be unavailable during the update: a number or a percentage; defaults to 1.')),
  maxSurge: Type.Optional(IntOrString('Nodes that may run an updated pod beside the old one during the update; defaults to 0.')),
});
export type RollingUpdateDaemonSet = Static<typeof RollingUpdateDaemonSet>;

export const DaemonSetUpdateStrategy = Type.Object({
  type: Type.Optional(StringEnum(['RollingUpdate', 'OnDelete'] as const, { description: 'RollingUpdate (default) or OnDelete.' })),
  rollingUpdate: Type.Optional(RollingUpdateDaemonSet),
});
export type DaemonSetUpdateStrategy = Static<typeof DaemonSetUpdateStrategy>;

export const DaemonSetSpec = Type.Object(
  {
    selector: LabelSelector,
    template: PodTemplateSpec,
    updateStrategy: Type.Optional(DaemonSetUpdateStrategy),
    minReadySeconds: OptInt('Seconds a new pod must be ready to count as available.'),
    revisionHistoryLimit: OptInt('Old ControllerRevisions to keep for rollback; defaults to 10.'),
  },
  { description: 'The desired state of a DaemonSet.' },
);
export type DaemonSetSpec = Static<typeof DaemonSetSpec>;

export const DaemonSetStatus = Type.Object(
  {
    currentNumberScheduled: OptInt('Nodes running at least one daemon pod that should run it.'),
    numberMisscheduled: OptInt('Nodes running a daemon pod that should not run it.'),
    desiredNumberScheduled: OptInt('Nodes that should run the daemon pod.'),
    numberReady: OptInt('Nodes that should run the daemon pod and have one Ready.'),
    observedGeneration: OptInt(),
    updatedNumberScheduled: OptInt('Nodes running the updated daemon pod.'),
    numberAvailable: OptInt('Nodes that should run the daemon pod and have one available (ready for minReadySeconds).'),
    numberUnavailable: OptInt('Nodes that should run the daemon pod and have none available.'),
    collisionCount: OptInt('Hash collisions of the ControllerRevision names.'),
    conditions: Type.Optional(KeyedList(Condition, 'type')),
  },
  { description: 'The observed state of a DaemonSet.' },
);
export type DaemonSetStatus = Static<typeof DaemonSetStatus>;

export const DaemonSet = kindSchema('apps/v1', 'DaemonSet', DaemonSetSpec, DaemonSetStatus, 'Runs a copy of a pod on every eligible node.');
export type DaemonSet = Static<typeof DaemonSet>;

function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= DAEMONSET_DEFAULT_MAX_UNAVAILABLE;
    ru.maxSurge ??= DAEMONSET_DEFAULT_MAX_SURGE;
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.minReadySeconds ??= 0;
  defaultPodTemplate(spec.template);
}

const isZeroBudget = (v: number | string | undefined): boolean => v === undefined || v === 0 || percentOf(v) === 0;

function validateIntOrPercent(v: number | string | undefined, path: string): StatusCause[] {
  if (v === undefined) return [];
  if (!isIntOrPercent(v)) return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
  if ((percentOf(v) ?? 0) > 100) return [invalid(path, v, 'must not be greater than 100%')];
  return [];
}

function validateUpdateStrategy(s: DaemonSetUpdateStrategy | undefined): StatusCause[] {
  const path = 'spec.updateStrategy';
  if (s?.type !== 'RollingUpdate') return [];
  const ru = s.rollingUpdate;
  if (!ru) return [required(`${path}.rollingUpdate`)];
  const out = [...validateIntOrPercent(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`), ...validateIntOrPercent(ru.maxSurge, `${path}.rollingUpdate.maxSurge`)];
  // Neither surging nor taking a node's pod down means the update could never make progress.
  if (out.length === 0 && isZeroBudget(ru.maxUnavailable) && isZeroBudget(ru.maxSurge)) {
    out.push(invalid(`${path}.rollingUpdate.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  return out;
}

function validateDaemonSet(ds: DaemonSet, old?: DaemonSet): StatusCause[] {
  const spec = ds.spec;
  if (!spec) return [required('spec.selector'), required('spec.template')];
  const out = [
    ...validateSelectorMatchesTemplate(spec.selector, spec.template, 'daemonset'),
    ...validateServingTemplate(spec.template),
    ...validateUpdateStrategy(spec.updateStrategy),
    ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  if (old?.spec) out.push(...validateImmutable(spec.selector, old.spec.selector, 'spec.selector'));
  return out;
}

export const DaemonSetResource = defineResource<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  shortNames: ['ds'],
  namespaced: true,
  categories: ['all'],
  schema: DaemonSet,
  status: true,
  defaults: defaultDaemonSet,
  validate: validateDaemonSet,
});
