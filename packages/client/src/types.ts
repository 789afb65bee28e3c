// Wire shapes the client sends or receives that are not stored kinds of their own: the
// autoscaling/v1 Scale subresource, core/v1 Binding and meta/v1 DeleteOptions.
import type { ObjectMeta } from '@kite/api-types';

/** autoscaling/v1 Scale: the scale subresource of Deployments, ReplicaSets and StatefulSets. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/** core/v1 Binding: POSTed to pods/NAME/binding to assign a pod to a node. */
export interface Binding {
  apiVersion: 'v1';
  kind: 'Binding';
  metadata: ObjectMeta;
  target: { apiVersion?: string; kind: 'Node'; name: string };
}

/** meta/v1 DeleteOptions, the body of a DELETE. */
export interface DeleteOptions {
  apiVersion: 'v1';
  kind: 'DeleteOptions';
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}
