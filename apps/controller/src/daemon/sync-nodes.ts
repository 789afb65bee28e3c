// syncNodes: carries out one round's decisions — delete these pods, create a pod on these nodes —
// with expectations raised first, so later syncs wait for the watch to show the results instead
// of acting twice (Kubernetes' syncNodes). Creates run in slow-start batches (1, 2, 4, …), so a
// template the apiserver refuses costs one request, not one per node. Every create and delete is
// an Event (SuccessfulCreate / FailedCreate, SuccessfulDelete / FailedDelete). A create refused
// because the namespace is terminating is not retried. Throws the first failure, so the runner
// retries the DaemonSet with back-off.
import type { DaemonSet } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import { isForbidden } from '../framework/errors.js';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { Expectations } from '../framework/expectations.js';
import type { PodControl } from '../framework/pod-control.js';
import type { ReadonlyPod } from '../framework/pods.js';
import { describe } from '../framework/runner.js';
import { slowStartBatch } from '../framework/slow-start.js';
import { newDaemonPod } from './daemon-pod.js';

export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_FAILED_CREATE = 'FailedCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_DELETE = 'FailedDelete';
/** Every create round starts with one pod, as Kubernetes' slow start does. */
const SLOW_START_INITIAL_BATCH = 1;

export interface SyncNodesDeps {
  podControl: PodControl;
  creations: Expectations;
  deletions: Expectations;
  recorder: Recorder;
}

export async function syncNodes(deps: SyncNodesDeps, ds: DeepReadonly<DaemonSet>, victims: readonly ReadonlyPod[], nodes: readonly string[], hash: string): Promise<void> {
  const key = objectKey(ds);
  if (nodes.length > 0) deps.creations.expectCreations(key, nodes.length);
  if (victims.length > 0) deps.deletions.expectDeletions(key, victims.map((p) => objectKey(p)));
  const [createError, deleteError] = await Promise.all([createPods(deps, ds, nodes, hash), deletePods(deps, ds, victims)]);
  const first = createError ?? deleteError;
  if (first !== undefined) throw first;
}

async function createPods(deps: SyncNodesDeps, ds: DeepReadonly<DaemonSet>, nodes: readonly string[], hash: string): Promise<unknown> {
  if (nodes.length === 0) return undefined;
  const key = objectKey(ds);
  const namespace = ds.metadata.namespace ?? '';
  const result = await slowStartBatch(nodes.length, SLOW_START_INITIAL_BATCH, async (i) => {
    try {
      const pod = await deps.podControl.createPod(namespace, newDaemonPod(ds, nodes[i] ?? '', hash));
      deps.recorder.event(ds, EVENT_NORMAL, REASON_SUCCESSFUL_CREATE, `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      deps.creations.creationFailed(key);
      throw err;
    }
  });
  if (result.skipped > 0) deps.creations.creationFailed(key, result.skipped);
  const first = result.errors[0];
  if (first === undefined || result.errors.every(isForbidden)) return undefined;
  deps.recorder.event(ds, EVENT_WARNING, REASON_FAILED_CREATE, `Error creating: ${describe(first)}`);
  return first;
}

async function deletePods(deps: SyncNodesDeps, ds: DeepReadonly<DaemonSet>, victims: readonly ReadonlyPod[]): Promise<unknown> {
  const key = objectKey(ds);
  const errors: unknown[] = [];
  await Promise.all(
    victims.map(async (pod) => {
      try {
        const existed = await deps.podControl.deletePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', pod.metadata.uid);
        if (!existed) deps.deletions.deletionObserved(key, objectKey(pod));
        else deps.recorder.event(ds, EVENT_NORMAL, REASON_SUCCESSFUL_DELETE, `Deleted pod: ${pod.metadata.name ?? ''}`);
      } catch (err) {
        deps.deletions.deletionFailed(key, objectKey(pod));
        errors.push(err);
      }
    }),
  );
  const first = errors[0];
  if (first !== undefined) deps.recorder.event(ds, EVENT_WARNING, REASON_FAILED_DELETE, `Error deleting: ${describe(first)}`);
  return first;
}
