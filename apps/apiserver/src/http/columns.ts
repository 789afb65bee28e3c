// The columns `kubectl get` shows per kind (meta.k8s.io Tables, table.ts), following what
// Kubernetes' own printers show for the same kinds so output reads the same. Each kind's columns
// live in columns/ by area; this module is the registry the table builder reads.
// A kind without an entry gets NAME and AGE, as Kubernetes' default table does.
import { podColumns } from './columns/pod.js';
import { deploymentColumns, jobColumns, replicaSetColumns, statefulSetColumns } from './columns/workloads.js';
import { hpaColumns } from './columns/hpa.js';
import { podDisruptionBudgetColumns } from './columns/policy.js';
import { cronJobColumns } from './columns/cronjob.js';
import { controllerRevisionColumns, daemonSetColumns } from './columns/daemonset.js';
import { endpointSliceColumns, endpointsColumns, serviceColumns } from './columns/network.js';
import { eventColumns, leaseColumns, namespaceColumns, nodeColumns, runtimeClassColumns } from './columns/cluster.js';
import { configMapColumns, persistentVolumeClaimColumns, persistentVolumeColumns, secretColumns, storageClassColumns } from './columns/config.js';
import { ageColumn, nameColumn, type Column } from './columns/format.js';

export { age, humanDuration, type Column } from './columns/format.js';
export { podStatusReason } from './columns/pod.js';

const byKind: Record<string, () => Column[]> = {
  Pod: podColumns,
  Node: nodeColumns,
  Namespace: namespaceColumns,
  Event: eventColumns,
  Lease: leaseColumns,
  RuntimeClass: runtimeClassColumns,
  Service: serviceColumns,
  Endpoints: endpointsColumns,
  EndpointSlice: endpointSliceColumns,
  Deployment: deploymentColumns,
  ReplicaSet: replicaSetColumns,
  StatefulSet: statefulSetColumns,
  DaemonSet: daemonSetColumns,
  ControllerRevision: controllerRevisionColumns,
  Job: jobColumns,
  CronJob: cronJobColumns,
  HorizontalPodAutoscaler: hpaColumns,
  ConfigMap: configMapColumns,
  Secret: secretColumns,
  PersistentVolumeClaim: persistentVolumeClaimColumns,
  PersistentVolume: persistentVolumeColumns,
  PodDisruptionBudget: podDisruptionBudgetColumns,
  StorageClass: storageClassColumns,
};

/** Registers or replaces the columns of a kind. */
export function registerColumns(kind: string, columns: () => Column[]): void {
  byKind[kind] = columns;
}

export function columnsFor(kind: string): Column[] {
  return (byKind[kind] ?? (() => [nameColumn, ageColumn]))();
}
