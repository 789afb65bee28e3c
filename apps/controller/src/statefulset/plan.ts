// What one StatefulSet sync does to its pods, the pure part (Kubernetes' updateStatefulSet in
// stateful_set_control.go; table-tested). Given the pods by ordinal it answers the creates and
// deletes to make now, and whether the set must wait for a pod first.
//
// - Slots are the ordinals [start, start+replicas); pods with a higher or lower ordinal are
//   condemned. A finished (Failed or Succeeded) pod in a slot is deleted, to be re-created.
// - OrderedReady (the default) is monotonic: a missing pod is created only once every lower
//   ordinal is Running and Ready (available, with minReadySeconds), one at a time; condemned pods
//   go highest ordinal first, one at a time, and only while the slots are all healthy.
//   Parallel creates and deletes every pod at once and never waits.
// - RollingUpdate (after the slots are whole): from the highest ordinal down to `partition`, a
//   pod not at the update revision is deleted (its replacement is created from the update
//   revision), never more at once than maxUnavailable (default 1) pods unavailable. OnDelete
//   leaves outdated pods alone: the user deletes them.
// - A re-created pod below the partition is made from the current revision, at or above it from
//   the update revision (OnDelete: always the update revision).
import { scaledValueFromIntOrPercent, type StatefulSet } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isPodAvailable, isPodTerminating, type ReadonlyPod } from '../framework/pods.js';
import { ordinalRange, podRevision } from './identity.js';

export interface PlanInput {
  set: DeepReadonly<StatefulSet>;
  /** The set's pods by ordinal (members only). */
  pods: ReadonlyMap<number, ReadonlyPod>;
  currentRevision: string;
  updateRevision: string;
  now: number;
}

export type PodAction = { kind: 'create'; ordinal: number; revision: string } | { kind: 'delete'; pod: ReadonlyPod; why: 'failed' | 'condemned' | 'update' };

export interface Plan {
  actions: PodAction[];
  /** Why the sync stopped before doing everything (OrderedReady), for logs and tests. */
  waitingFor?: string;
}

const isFinished = (p: ReadonlyPod) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';

/** The partition of a RollingUpdate, as a slot position. */
const partitionOf = (set: DeepReadonly<StatefulSet>): number => set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;

/** Which revision a pod (re-)created at `ordinal` is made from. */
export function revisionFor(input: PlanInput, ordinal: number): string {
  const { set } = input;
  if (set.spec?.updateStrategy?.type === 'OnDelete') return input.updateRevision;
  return ordinal - ordinalRange(set).start < partitionOf(set) ? input.currentRevision : input.updateRevision;
}

/** maxUnavailable of a RollingUpdate: an int, or a percentage of replicas rounded down; at least 1. */
export function maxUnavailableOf(set: DeepReadonly<StatefulSet>): number {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  const replicas = set.spec?.replicas ?? 1;
  return Math.max(1, v === undefined ? 1 : scaledValueFromIntOrPercent(v, replicas, false));
}

export function planStatefulSet(input: PlanInput): Plan {
  const { set, pods, now } = input;
  const { start, replicas } = ordinalRange(set);
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const minReady = set.spec?.minReadySeconds ?? 0;
  const healthy = (p: ReadonlyPod) => !isPodTerminating(p) && isPodAvailable(p, minReady, now);
  const actions: PodAction[] = [];
  const done = (waitingFor?: string): Plan => (waitingFor ? { actions, waitingFor } : { actions });

  for (let ordinal = start; ordinal < start + replicas; ordinal++) {
    const pod = pods.get(ordinal);
    if (!pod) {
      actions.push({ kind: 'create', ordinal, revision: revisionFor(input, ordinal) });
      if (monotonic) return done(`pod ${ordinal} to be created`);
      continue;
    }
    if (isFinished(pod) && !isPodTerminating(pod)) {
      actions.push({ kind: 'delete', pod, why: 'failed' });
      if (monotonic) return done(`finished pod ${ordinal} to be replaced`);
      continue;
    }
    if (monotonic && !healthy(pod)) return done(`pod ${ordinal} to be Running and Ready`);
  }

  const condemned = [...pods.entries()].filter(([o]) => o < start || o >= start + replicas).sort((a, b) => b[0] - a[0]);
  for (const [ordinal, pod] of condemned) {
    if (isPodTerminating(pod)) {
      if (monotonic) return done(`condemned pod ${ordinal} to terminate`);
      continue;
    }
    actions.push({ kind: 'delete', pod, why: 'condemned' });
    if (monotonic) return done(`condemned pod ${ordinal} to terminate`);
  }
  if (actions.length > 0 || set.spec?.updateStrategy?.type === 'OnDelete') return done();

  // RollingUpdate: highest ordinal first, down to the partition, within maxUnavailable.
  const budget = maxUnavailableOf(set);
  let unavailable = 0;
  for (let ordinal = start + replicas - 1; ordinal >= start + partitionOf(set); ordinal--) {
    const pod = pods.get(ordinal);
    if (!pod) continue;
    if (!healthy(pod)) {
      unavailable++;
    } else if (podRevision(pod) !== input.updateRevision) {
      actions.push({ kind: 'delete', pod, why: 'update' });
      unavailable++;
    }
    if (unavailable >= budget) return done(actions.length > 0 ? undefined : `pod ${ordinal} to be Running and Ready`);
  }
  return done();
}
