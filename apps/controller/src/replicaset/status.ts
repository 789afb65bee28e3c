// ReplicaSet status from the pods it controls — a pure function, so it is table-tested.
//
//   replicas              active pods (not terminating, not finished)
//   fullyLabeledReplicas  active pods carrying every label of the template
//   readyReplicas         active pods with Ready=True
//   availableReplicas     active pods Ready for at least minReadySeconds
//   terminatingReplicas   pods being deleted (deletionTimestamp set)
//   observedGeneration    the generation this status describes
// A ReplicaFailure condition reports a create or delete the apiserver refused, and clears once a
// sync succeeds.
import type { Condition, ReplicaSet, ReplicaSetStatus } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodActive, isPodAvailable, isPodReady, isPodTerminating, msUntilAvailable, type ReadonlyPod } from '../framework/pods.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

export interface StatusInput {
  rs: DeepReadonly<ReplicaSet>;
  pods: readonly ReadonlyPod[];
  now: number;
  /** The error of this sync's create/delete round, if the apiserver refused one. */
  manageError?: { reason: string; message: string };
}

function fullyLabeled(pod: ReadonlyPod, templateLabels: Readonly<Record<string, string>>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

export function computeStatus({ rs, pods, now, manageError }: StatusInput): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const active = pods.filter(isPodActive);
  const status: ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) => fullyLabeled(p, templateLabels)).length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    terminatingReplicas: pods.filter(isPodTerminating).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== REPLICA_FAILURE).map((c) => ({ ...c }) as Condition);
  if (manageError) {
    const previous = rs.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
    const lastTransitionTime = previous?.status === 'True' ? previous.lastTransitionTime : new Date(now).toISOString();
    conditions.push({ type: REPLICA_FAILURE, status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime });
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Milliseconds until the next ready-but-not-yet-available pod becomes available, if any. */
export function nextAvailableIn(rs: DeepReadonly<ReplicaSet>, pods: readonly ReadonlyPod[], now: number): number | undefined {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let soonest: number | undefined;
  for (const p of pods) {
    if (!isPodActive(p)) continue;
    const ms = msUntilAvailable(p, minReady, now);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest;
}

/** Whether two statuses differ in anything worth a write. */
export function statusChanged(current: DeepReadonly<ReplicaSetStatus> | undefined, next: ReplicaSetStatus): boolean {
  return JSON.stringify(normalise(current)) !== JSON.stringify(normalise(next));
}

function normalise(s: DeepReadonly<ReplicaSetStatus> | undefined): unknown[] {
  return [
    s?.replicas ?? 0,
    s?.fullyLabeledReplicas ?? 0,
    s?.readyReplicas ?? 0,
    s?.availableReplicas ?? 0,
    s?.terminatingReplicas ?? 0,
    s?.observedGeneration ?? 0,
    (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
  ];
}
