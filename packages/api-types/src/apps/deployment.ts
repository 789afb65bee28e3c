// apps/v1 Deployment: declarative updates of pods through ReplicaSets. The deployment controller
// keeps one ReplicaSet per template revision and rolls replicas between them (RollingUpdate within
// the maxSurge/maxUnavailable budget, or Recreate).
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, LabelSelector, type StatusCause } from '../meta/v1.js';
import { PodTemplateSpec } from '../core/podspec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { isIntOrPercent, percentOf } from '../intstr.js';
import { IntOrString, KeyedList, OptBool, OptInt, StringEnum } from '../schema.js';
import { forbidden, invalid, required } from '../validation/causes.js';
import { validateImmutable, validateNonNegative } from '../validation/fields.js';
import { validateSelectorMatchesTemplate, validateServingTemplate } from './workload.js';

/** Rolling update budgets default to a quarter of the replicas each way. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
/** A rollout without progress for 10 minutes is reported as failed (ProgressDeadlineExceeded). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** Annotation holding the revision number of a Deployment and its ReplicaSets (`kubectl rollout`). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export const RollingUpdateDeployment = Type.Object({
  maxUnavailable: Type.Optional(IntOrString('Pods that may be unavailable during the update: a number or a percentage; defaults to 25%.')),
  maxSurge: Type.Optional(IntOrString('Pods that may be created above the desired count: a number or a percentage; defaults to 25%.')),
});
export type RollingUpdateDeployment = Static<typeof RollingUpdateDeployment>;

export const DeploymentStrategy = Type.Object({
  type: Type.Optional(StringEnum(['Recreate', 'RollingUpdate'] as const, { description: 'RollingUpdate (default) or Recreate.' })),
  rollingUpdate: Type.Optional(RollingUpdateDeployment),
});
export type DeploymentStrategy = Static<typeof DeploymentStrategy>;

export const DeploymentSpec = Type.Object(
  {
    replicas: OptInt('Desired number of pods; defaults to 1.'),
    selector: LabelSelector,
    template: PodTemplateSpec,
    strategy: Type.Optional(DeploymentStrategy),
    minReadySeconds: OptInt('Seconds a new pod must be ready to count as available.'),
    revisionHistoryLimit: OptInt('Old ReplicaSets to keep for rollback; defaults to 10.'),
    paused: OptBool('Pause rollouts.'),
    progressDeadlineSeconds: OptInt('Seconds without progress before the rollout is reported failed; defaults to 600.'),
  },
  { description: 'The desired state of a Deployment.' },
);
export type DeploymentSpec = Static<typeof DeploymentSpec>;

export const DeploymentStatus = Type.Object(
  {
    observedGeneration: OptInt(),
    replicas: OptInt('Pods targeted by this deployment (their labels match the selector).'),
    updatedReplicas: OptInt('Pods of the current template.'),
    readyReplicas: OptInt(),
    availableReplicas: OptInt('Pods ready for at least minReadySeconds.'),
    unavailableReplicas: OptInt(),
    terminatingReplicas: OptInt(),
    conditions: Type.Optional(KeyedList(Condition, 'type', 'Available, Progressing, ReplicaFailure.')),
    collisionCount: OptInt(),
  },
  { description: 'The observed state of a Deployment.' },
);
export type DeploymentStatus = Static<typeof DeploymentStatus>;

export const Deployment = kindSchema('apps/v1', 'Deployment', DeploymentSpec, DeploymentStatus, 'Declarative updates for pods and ReplicaSets.');
export type Deployment = Static<typeof Deployment>;

function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= DEFAULT_MAX_UNAVAILABLE;
    ru.maxSurge ??= DEFAULT_MAX_SURGE;
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.progressDeadlineSeconds ??= DEFAULT_PROGRESS_DEADLINE_SECONDS;
  spec.minReadySeconds ??= 0;
  defaultPodTemplate(spec.template);
}

function validateBudget(v: number | string | undefined, path: string, maxHundred: boolean): StatusCause[] {
  if (v === undefined) return [];
  if (!isIntOrPercent(v)) return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
  if (maxHundred && (percentOf(v) ?? 0) > 100) return [invalid(path, v, 'must not be greater than 100%')];
  return [];
}

const isZero = (v: number | string | undefined): boolean => v === undefined || v === 0 || percentOf(v) === 0;

function validateStrategy(s: DeploymentStrategy | undefined): StatusCause[] {
  if (!s) return [];
  const ru = s.rollingUpdate;
  if (s.type === 'Recreate') return ru ? [forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\'')] : [];
  if (!ru) return [];
  const out = [
    ...validateBudget(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', true),
    ...validateBudget(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', false),
  ];
  // Neither surging nor dropping a pod means the rollout could never make progress.
  if (out.length === 0 && isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    out.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  return out;
}

function validateDeployment(d: Deployment, old?: Deployment): StatusCause[] {
  const spec = d.spec;
  if (!spec) return [required('spec.selector'), required('spec.template')];
  const out = [
    ...validateNonNegative(spec.replicas, 'spec.replicas'),
    ...validateSelectorMatchesTemplate(spec.selector, spec.template, 'deployment'),
    ...validateServingTemplate(spec.template),
    ...validateStrategy(spec.strategy),
    ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  const pds = spec.progressDeadlineSeconds;
  if (pds !== undefined && pds <= (spec.minReadySeconds ?? 0)) {
    out.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  if (old?.spec) out.push(...validateImmutable(spec.selector, old.spec.selector, 'spec.selector'));
  return out;
}

export const DeploymentResource = defineResource<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  shortNames: ['deploy'],
  namespaced: true,
  categories: ['all'],
  schema: Deployment,
  status: true,
  // Deployment status has no selector; the apiserver renders spec.selector as the Scale's string.
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  defaults: defaultDeployment,
  validate: validateDeployment,
});
