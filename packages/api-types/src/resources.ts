// Every kind the apiserver serves. Adding a kind here makes it appear in REST paths, discovery,
// OpenAPI and the typed client.
import type { KubeObject } from './meta/v1.js';
import type { ResourceType } from './registry.js';
import { DeploymentResource } from './apps/deployment.js';
import { ReplicaSetResource } from './apps/replicaset.js';
import { StatefulSetResource } from './apps/statefulset.js';
import { ControllerRevisionResource } from './apps/controllerrevision.js';
import { DaemonSetResource } from './apps/daemonset.js';
import { HorizontalPodAutoscalerResource } from './autoscaling/horizontalpodautoscaler.js';
import { HorizontalPodAutoscalerV1Resource } from './autoscaling/horizontalpodautoscaler-v1.js';
import { JobResource } from './batch/job.js';
import { CronJobResource } from './batch/cronjob.js';
import { LeaseResource } from './coordination/lease.js';
import { ConfigMapResource } from './core/configmap.js';
import { EndpointsResource } from './core/endpoints.js';
import { EventResource } from './core/event.js';
import { LimitRangeResource } from './core/limitrange.js';
import { NamespaceResource } from './core/namespace.js';
import { NodeResource } from './core/node.js';
import { PersistentVolumeResource } from './core/persistentvolume.js';
import { PersistentVolumeClaimResource } from './core/persistentvolumeclaim.js';
import { PodResource } from './core/pod.js';
import { ResourceQuotaResource } from './core/resourcequota.js';
import { SecretResource } from './core/secret.js';
import { ServiceResource } from './core/service.js';
import { EndpointSliceResource } from './discovery/endpointslice.js';
import { RuntimeClassResource } from './node/runtimeclass.js';
import { PodDisruptionBudgetResource } from './policy/poddisruptionbudget.js';
import { StorageClassResource } from './storage/storageclass.js';
import { ServiceAccountResource } from './core/serviceaccount.js';
import { ClusterRoleBindingResource, ClusterRoleResource, RoleBindingResource, RoleResource } from './rbac/rbac.js';
import { reviewResources } from './authorization/reviews.js';
import { NodeMetricsResource, PodMetricsResource } from './metrics/resource-metrics.js';

export const allResources: readonly ResourceType[] = [
  NamespaceResource,
  ConfigMapResource,
  PodResource,
  NodeResource,
  ServiceResource,
  EndpointsResource,
  SecretResource,
  EventResource,
  PersistentVolumeClaimResource,
  PersistentVolumeResource,
  ResourceQuotaResource,
  LimitRangeResource,
  DeploymentResource,
  ReplicaSetResource,
  StatefulSetResource,
  ControllerRevisionResource,
  DaemonSetResource,
  JobResource,
  CronJobResource,
  HorizontalPodAutoscalerResource,
  LeaseResource,
  EndpointSliceResource,
  RuntimeClassResource,
  PodDisruptionBudgetResource,
  StorageClassResource,
  ServiceAccountResource,
  RoleResource,
  ClusterRoleResource,
  RoleBindingResource,
  ClusterRoleBindingResource,
].map((r) => r as unknown as ResourceType);

/**
 * Kinds also served at a version other than their storage version (each entry's `conversion` names
 * the stored one): the same objects, converted on every request. Never listed, watched or deleted
 * on their own; discovery lists each after its storage version, which stays the preferred one.
 */
export const convertedResources: readonly ResourceType[] = [HorizontalPodAutoscalerV1Resource].map((r) => r as unknown as ResourceType);

/** The read-only computed kinds (metrics.k8s.io): get and list, answered from live data, never stored. */
export const computedResources: readonly ResourceType[] = [NodeMetricsResource, PodMetricsResource].map((r) => r as unknown as ResourceType);

/**
 * Every kind with a path: the stored kinds, the create-only review kinds, the converted versions
 * and the read-only computed kinds. Discovery and routing read this; code that lists, watches or
 * deletes objects reads `allResources`.
 */
export const servedResources: readonly ResourceType[] = [...allResources, ...reviewResources, ...convertedResources, ...computedResources];

const byPath = new Map<string, ResourceType>();
const byKind = new Map<string, ResourceType>();
for (const r of servedResources) {
  byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
  byKind.set(`${r.apiVersion}/${r.kind}`, r);
}

/** The kind served at `/api(s)/GROUP/VERSION/PLURAL`, if any. */
export function resourceForPath(group: string, version: string, plural: string): ResourceType | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** The kind with this apiVersion and kind, if any. */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** Narrows a registry entry to its object type, for typed code that knows the kind. */
export function typed<T extends KubeObject>(r: ResourceType<T>): ResourceType<T> {
  return r;
}
