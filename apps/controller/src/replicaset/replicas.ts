// manageReplicas: create or delete pods so a ReplicaSet has `spec.replicas` active pods.
//
// - Too few: create the missing ones (at most BURST_REPLICAS per sync) through slowStartBatch —
//   batches of 1, 2, 4, … so a doomed template costs one request, a healthy one reaches full
//   speed in a few round trips. Expectations are raised first and lowered for every create that
//   failed or was skipped, so the next sync neither waits forever nor duplicates.
//   The round runs in the background (`launch`): 500 creates take seconds, and meanwhile the
//   ReplicaSet's status must keep up with the pods becoming ready (a Deployment's rollout waits
//   on it). Expectations keep later syncs from managing again until the round is observed; the
//   round's outcome comes back through `launch` (see controller.ts).
// - Too many: delete the lowest-ranked pods (ranking.ts), all at once, tracked by pod key.
// - A namespace being deleted refuses creates with 403; that is not an error worth retrying.
// Returns a deletion failure to report in status (ReplicaFailure) and rethrow, if any.
import type { ReplicaSet } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import { isForbidden } from '../framework/errors.js';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import type { Expectations } from '../framework/expectations.js';
import { newControllerRef } from '../framework/owners.js';
import { podFromTemplate, type PodControl } from '../framework/pod-control.js';
import type { ReadonlyPod } from '../framework/pods.js';
import { slowStartBatch } from '../framework/slow-start.js';
import { describe } from '../framework/runner.js';
import { podsToDelete } from './ranking.js';

/** Most pods created or deleted in one sync (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;
/** First slow-start batch of a ReplicaSet with no recent successful round. */
const SLOW_START_INITIAL_BATCH = 1;

export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_FAILED_CREATE = 'FailedCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_DELETE = 'FailedDelete';

export interface ManageContext {
  podControl: PodControl;
  expectations: Expectations;
  recorder: Recorder;
  /** Runs a create round in the background and reports its outcome for the ReplicaSet `key`. */
  launch: (key: string, round: Promise<ManageFailure | undefined>) => void;
  /**
   * The slow-start batch a ReplicaSet has proven: the last batch of its previous round when every
   * create in it succeeded (so a rollout's later rounds do not ramp up from 1 again), back to 1
   * after any failure. Kubernetes always starts at 1; kite keeps the flood protection (a failing
   * template still costs one request after a failure) and pays the ramp once.
   */
  warmBatch: Map<string, number>;
}

export interface ManageFailure {
  reason: string;
  message: string;
  error: unknown;
}

export async function manageReplicas(ctx: ManageContext, rs: DeepReadonly<ReplicaSet>, active: readonly ReadonlyPod[]): Promise<ManageFailure | undefined> {
  const diff = active.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) {
    ctx.launch(objectKey(rs), createPods(ctx, rs, Math.min(-diff, BURST_REPLICAS)));
    return undefined;
  }
  if (diff > 0) return deletePods(ctx, rs, podsToDelete(active, Math.min(diff, BURST_REPLICAS)));
  return undefined;
}

async function createPods(ctx: ManageContext, rs: DeepReadonly<ReplicaSet>, count: number): Promise<ManageFailure | undefined> {
  const key = objectKey(rs);
  const namespace = rs.metadata.namespace ?? '';
  const ref = newControllerRef(rs);
  ctx.expectations.expectCreations(key, count);
  const result = await slowStartBatch(count, ctx.warmBatch.get(key) ?? SLOW_START_INITIAL_BATCH, async () => {
    try {
      const pod = await ctx.podControl.createPod(namespace, podFromTemplate(rs.spec?.template, rs.metadata.name ?? '', namespace, ref));
      ctx.recorder.event(rs, EVENT_NORMAL, REASON_SUCCESSFUL_CREATE, `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      ctx.expectations.creationFailed(key);
      throw err;
    }
  });
  if (result.skipped > 0) ctx.expectations.creationFailed(key, result.skipped);
  const first = result.errors[0];
  if (first === undefined) {
    ctx.warmBatch.set(key, result.lastBatch);
    return undefined;
  }
  ctx.warmBatch.delete(key);
  // Kubernetes ignores creates refused because the namespace is terminating: they cannot succeed.
  if (result.errors.every(isForbidden)) return undefined;
  const message = `Error creating: ${describe(first)}`;
  ctx.recorder.event(rs, EVENT_WARNING, REASON_FAILED_CREATE, message);
  return { reason: REASON_FAILED_CREATE, message, error: first };
}

async function deletePods(ctx: ManageContext, rs: DeepReadonly<ReplicaSet>, victims: readonly ReadonlyPod[]): Promise<ManageFailure | undefined> {
  const key = objectKey(rs);
  ctx.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
  const errors: unknown[] = [];
  await Promise.all(
    victims.map(async (pod) => {
      const podKey = objectKey(pod);
      try {
        const existed = await ctx.podControl.deletePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', pod.metadata.uid);
        if (!existed) ctx.expectations.deletionObserved(key, podKey);
        else ctx.recorder.event(rs, EVENT_NORMAL, REASON_SUCCESSFUL_DELETE, `Deleted pod: ${pod.metadata.name ?? ''}`);
      } catch (err) {
        ctx.expectations.deletionFailed(key, podKey);
        errors.push(err);
      }
    }),
  );
  const first = errors[0];
  if (first === undefined) return undefined;
  const message = `Error deleting: ${describe(first)}`;
  ctx.recorder.event(rs, EVENT_WARNING, REASON_FAILED_DELETE, message);
  return { reason: REASON_FAILED_DELETE, message, error: first };
}
