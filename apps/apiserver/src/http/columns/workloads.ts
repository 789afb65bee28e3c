// Columns of the workload kinds, as `kubectl get` prints them for Kubernetes:
//   Deployment   NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR
//   ReplicaSet   NAME DESIRED CURRENT READY AGE      | CONTAINERS IMAGES SELECTOR
//   StatefulSet  NAME READY AGE                      | CONTAINERS IMAGES
//   Job          NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR
import type { Deployment, Job, PodTemplateSpec, ReplicaSet, StatefulSet } from '@kite/api-types';
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
