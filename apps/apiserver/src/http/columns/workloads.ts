// Columns of the workload kinds, as `kubectl get` prints them for Kubernetes:
//   Deployment   NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR
//   ReplicaSet   NAME DESIRED CURRENT READY AGE      | CONTAINERS IMAGES SELECTOR
//   StatefulSet  NAME READY AGE                      | CONTAINERS IMAGES
//   Job          NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR
//   HPA          NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE
import type { Deployment, HorizontalPodAutoscaler, Job, MetricSpec, MetricTarget, PodTemplateSpec, ReplicaSet, StatefulSet } from '@kite/api-types';
import { ageColumn, formatSelector, humanDuration, kindColumns, nameColumn, templateColumns, type Column } from './format.js';

const containersOf = (template: PodTemplateSpec | undefined) => template?.spec?.containers ?? [];

export function deploymentColumns(): Column[] {
  const columns: Array<Column<Deployment>> = [
    nameColumn,
    { name: 'Ready', description: 'Number of the pod with ready state.', value: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', value: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', value: (o) => o.status?.availableReplicas ?? 0 },
    ageColumn,
    ...templateColumns<Deployment>((o) => containersOf(o.spec?.template)),
    { name: 'Selector', priority: 1, description: 'Label selector for pods.', value: (o) => formatSelector(o.spec?.selector) },
  ];
  return kindColumns(columns);
}

export function replicaSetColumns(): Column[] {
  const columns: Array<Column<ReplicaSet>> = [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Number of desired pods.', value: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Number of actual replicas.', value: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replica set.', value: (o) => o.status?.readyReplicas ?? 0 },
    ageColumn,
    ...templateColumns<ReplicaSet>((o) => containersOf(o.spec?.template)),
    { name: 'Selector', priority: 1, description: 'Label selector for pods.', value: (o) => formatSelector(o.spec?.selector) },
  ];
  return kindColumns(columns);
}

export function statefulSetColumns(): Column[] {
  const columns: Array<Column<StatefulSet>> = [
    nameColumn,
    { name: 'Ready', description: 'Number of the pod with ready state.', value: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    ageColumn,
    ...templateColumns<StatefulSet>((o) => containersOf(o.spec?.template)),
  ];
  return kindColumns(columns);
}

/** The Job's STATUS: a final condition, else Terminating, Suspended or Running. */
export function jobStatus(job: Job): string {
  const isTrue = (type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  for (const state of ['FailureTarget', 'SuccessCriteriaMet', 'Suspended']) if (isTrue(state)) return state;
  return 'Running';
}

/** `succeeded/completions`; without completions `n/1`, or `n/1 of P` when P pods run in parallel. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From start to completion, or to now while running; empty before the Job started. */
export function jobDuration(job: Job): string {
  const start = Date.parse(job.status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(job.status?.completionTime ?? '');
  return humanDuration(((Number.isNaN(end) ? Date.now() : end) - start) / 1000);
}

export function jobColumns(): Column[] {
  const columns: Array<Column<Job>> = [
    nameColumn,
    { name: 'Status', description: 'Status of the job.', value: jobStatus },
    { name: 'Completions', description: 'The number of successfully finished pods and desired completions.', value: jobCompletions },
    { name: 'Duration', description: 'Time required to complete the job.', value: jobDuration },
    ageColumn,
    ...templateColumns<Job>((o) => containersOf(o.spec?.template)),
    { name: 'Selector', priority: 1, description: 'Label selector for pods.', value: (o) => formatSelector(o.spec?.selector) },
  ];
  return kindColumns(columns);
}

/** A current metric as the HPA controller reports it (the schema only fixes `type`). */
interface CurrentMetric {
  type: string;
  resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string | number; value?: string | number } };
  containerResource?: { name?: string; container?: string; current?: { averageUtilization?: number; averageValue?: string | number } };
  pods?: { metric?: { name?: string }; current?: { averageValue?: string | number } };
  object?: { metric?: { name?: string }; current?: { value?: string | number; averageValue?: string | number } };
  external?: { metric?: { name?: string }; current?: { value?: string | number; averageValue?: string | number } };
}

/** Entries the TARGETS column shows before "+ N more...". */
const MAX_METRICS = 2;
const UNKNOWN_METRIC = '<unknown>';

/** `current/target` of one metric: `cpu: 50%/80%`, `memory: 100Mi/200Mi`, `requests: 3/10 (avg)`. */
function formatMetric(spec: MetricSpec, current: CurrentMetric | undefined): string {
  const target = (t: MetricTarget) => (t.averageUtilization !== undefined ? `${t.averageUtilization}%` : String(t.averageValue ?? t.value ?? UNKNOWN_METRIC));
  const value = (v: string | number | undefined, unit = '') => (v === undefined ? UNKNOWN_METRIC : `${v}${unit}`);
  switch (spec.type) {
    case 'Resource': {
      const t = spec.resource?.target;
      const c = current?.resource?.current;
      if (!t) return UNKNOWN_METRIC;
      const now = t.averageUtilization !== undefined ? value(c?.averageUtilization, '%') : value(c?.averageValue);
      return `${spec.resource?.name ?? ''}: ${now}/${target(t)}`;
    }
    case 'ContainerResource': {
      const t = spec.containerResource?.target;
      const c = current?.containerResource?.current;
      if (!t) return UNKNOWN_METRIC;
      const now = t.averageUtilization !== undefined ? value(c?.averageUtilization, '%') : value(c?.averageValue);
      return `${spec.containerResource?.name ?? ''}: ${now}/${target(t)}`;
    }
    case 'Pods':
      return spec.pods ? `${value(current?.pods?.current?.averageValue)}/${target(spec.pods.target)}` : UNKNOWN_METRIC;
    case 'Object':
    case 'External': {
      const source = spec.type === 'Object' ? spec.object : spec.external;
      const c = spec.type === 'Object' ? current?.object?.current : current?.external?.current;
      if (!source) return UNKNOWN_METRIC;
      const avg = source.target.type === 'AverageValue';
      return `${value(avg ? c?.averageValue : c?.value)}/${target(source.target)}${avg ? ' (avg)' : ''}`;
    }
  }
}

/** The TARGETS column: each metric's current and target value. */
export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const current = (hpa.status?.currentMetrics ?? []) as CurrentMetric[];
  const entries = specs.map((m, i) => formatMetric(m, current[i]?.type === m.type ? current[i] : current.find((c) => c.type === m.type)));
  const shown = entries.slice(0, MAX_METRICS).join(', ');
  return entries.length > MAX_METRICS ? `${shown} + ${entries.length - MAX_METRICS} more...` : shown;
}

export function hpaColumns(): Column[] {
  const columns: Array<Column<HorizontalPodAutoscaler>> = [
    nameColumn,
    { name: 'Reference', description: 'Reference to the object whose scale this autoscaler controls.', value: (o) => `${o.spec?.scaleTargetRef.kind ?? ''}/${o.spec?.scaleTargetRef.name ?? ''}` },
    { name: 'Targets', description: 'Current and target value of each metric.', value: hpaTargets },
    { name: 'MinPods', description: 'Lower limit for the number of pods.', value: (o) => (o.spec?.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas)) },
    { name: 'MaxPods', type: 'integer', description: 'Upper limit for the number of pods.', value: (o) => o.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'integer', description: 'Current number of replicas of pods managed by this autoscaler.', value: (o) => o.status?.currentReplicas ?? 0 },
    ageColumn,
  ];
  return kindColumns(columns);
}
