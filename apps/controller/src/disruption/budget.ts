// The arithmetic of a PodDisruptionBudget, pure functions of the budget's spec, its pods and the
// time, as Kubernetes' disruption controller computes them (pkg/controller/disruption):
//
//   expectedPods   minAvailable as an integer: the pods the selector matches; otherwise (a
//                  percentage, or maxUnavailable) the sum of the scale of the pods' controllers
//   desiredHealthy minAvailable (integer, or its percentage of expectedPods rounded up), or
//                  expectedPods − maxUnavailable (a percentage rounded up), never below 0
//   currentHealthy pods that are Ready, not being deleted and not in status.disruptedPods
//   disruptionsAllowed = currentHealthy − desiredHealthy, 0 when negative or expectedPods is 0
//
// Worked example: a Deployment of 3 with maxUnavailable '50%' → expectedPods 3, 50% of 3 rounded
// up is 2, desiredHealthy 1; all 3 Ready → disruptionsAllowed 2.
//
// status.disruptedPods holds pods the eviction subresource is deleting; an entry whose pod is
// still not being deleted 2 minutes (DELETION_TIMEOUT_MS) after the eviction is dropped, so a
// delete that never happened stops holding the budget down.
import { scaledValueFromIntOrPercent, type PodDisruptionBudgetSpec } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodReady, type ReadonlyPod } from '../framework/pods.js';

/** How long an evicted pod may take to be marked deleted before the budget counts it again (Kubernetes' DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

type Spec = DeepReadonly<PodDisruptionBudgetSpec>;

/** Whether the budget needs the scale of the pods' controllers (a percentage, or maxUnavailable). */
export function needsControllerScale(spec: Spec): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

export interface BudgetCounts {
  expectedPods: number;
  desiredHealthy: number;
}

/**
 * expectedPods and desiredHealthy for a budget over `podCount` pods whose controllers ask for
 * `scaleTotal` replicas in all (only read when needsControllerScale). Neither field set: 0 and 0.
 */
export function budgetCounts(spec: Spec, podCount: number, scaleTotal: number): BudgetCounts {
  if (spec.maxUnavailable !== undefined) {
    const maxUnavailable = scaledValueFromIntOrPercent(spec.maxUnavailable, scaleTotal, true);
    return { expectedPods: scaleTotal, desiredHealthy: Math.max(0, scaleTotal - maxUnavailable) };
  }
  if (typeof spec.minAvailable === 'number') return { expectedPods: podCount, desiredHealthy: spec.minAvailable };
  if (typeof spec.minAvailable === 'string') return { expectedPods: scaleTotal, desiredHealthy: scaledValueFromIntOrPercent(spec.minAvailable, scaleTotal, true) };
  return { expectedPods: 0, desiredHealthy: 0 };
}

/** Evictions allowed now; none while no pod is expected (a budget whose first pods just appeared stays safe). */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedPods: number): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
}

export interface DisruptedPods {
  /** Entries still awaiting their pod's deletion (pod name → eviction time). */
  pending: Record<string, string>;
  /** Pods whose entry expired: evicted over DELETION_TIMEOUT_MS ago and still not deleted. */
  expired: string[];
  /** Epoch ms when the next pending entry expires, to look again then. */
  recheckAt?: number;
}

/**
 * Keeps the disruptedPods entries of pods that still exist and are not yet being deleted, within
 * DELETION_TIMEOUT_MS of their eviction (Kubernetes' buildDisruptedPodMap). Entries of pods that
 * are gone or being deleted have done their job and are dropped.
 */
export function activeDisruptedPods(pods: readonly ReadonlyPod[], disrupted: Readonly<Record<string, string>> | undefined, now: number): DisruptedPods {
  const out: DisruptedPods = { pending: {}, expired: [] };
  if (!disrupted) return out;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const at = disrupted[name];
    if (pod.metadata.deletionTimestamp || at === undefined) continue;
    const due = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (Number.isNaN(due) || due < now) {
      out.expired.push(name);
      continue;
    }
    out.pending[name] = at;
    if (out.recheckAt === undefined || due < out.recheckAt) out.recheckAt = due;
  }
  return out;
}

/** Ready pods that are neither being deleted nor pending deletion after an eviction (countHealthyPods). */
export function countHealthy(pods: readonly ReadonlyPod[], pending: Readonly<Record<string, string>>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = pending[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}
