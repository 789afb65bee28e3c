// Deployment status and its conditions — what `kubectl rollout status` and `kubectl get` read.
//
// Status from the ReplicaSets:
//   replicas = Σ rs.status.replicas        updatedReplicas = newRS.status.replicas
//   readyReplicas, availableReplicas, terminatingReplicas = Σ of the same
//   unavailableReplicas = max(0, desired − availableReplicas)
//   observedGeneration = metadata.generation (this sync saw that spec)
// Conditions:
//   Available   True MinimumReplicasAvailable when available ≥ desired − maxUnavailable, else
//               False MinimumReplicasUnavailable.
//   Progressing True NewReplicaSetCreated / FoundNewReplicaSet when a rollout starts;
//               True ReplicaSetUpdated whenever the counts moved forward (this refreshes
//               lastUpdateTime, the start of the progress deadline);
//               True NewReplicaSetAvailable once complete;
//               False ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds;
//               Unknown DeploymentPaused / DeploymentResumed around a pause.
// `syncRolloutStatus` writes the status when it changed and asks to be requeued when the
// deadline will pass, so a stuck rollout is reported without any event arriving.
import type { Condition, DeploymentStatus } from '@kite/api-types';
import { mutableCopy, type DeepReadonly } from '@kite/client';
import { unpinned } from '../framework/owners.js';
import type { SyncResult } from '../framework/runner.js';
import { semanticJson } from '../framework/canonical.js';
import { desiredReplicas, type DeploymentDeps, type ReadonlyDeployment, type ReadonlyRS } from './context.js';
import { resolveBudget } from './math.js';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REASON_MIN_AVAILABLE = 'MinimumReplicasAvailable';
export const REASON_MIN_UNAVAILABLE = 'MinimumReplicasUnavailable';
export const REASON_NEW_RS_CREATED = 'NewReplicaSetCreated';
export const REASON_FOUND_NEW_RS = 'FoundNewReplicaSet';
export const REASON_RS_UPDATED = 'ReplicaSetUpdated';
export const REASON_NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const REASON_TIMED_OUT = 'ProgressDeadlineExceeded';
export const REASON_PAUSED = 'DeploymentPaused';
export const REASON_RESUMED = 'DeploymentResumed';

/** How a sync started a rollout, for the first Progressing condition. */
export type RolloutHint = typeof REASON_NEW_RS_CREATED | typeof REASON_FOUND_NEW_RS | undefined;

type ReadonlyCondition = DeepReadonly<Condition>;

export function calculateStatus(d: ReadonlyDeployment, newRS: ReadonlyRS | undefined, all: readonly ReadonlyRS[]): DeploymentStatus {
  const total = (f: (rs: ReadonlyRS) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = total((rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: total((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: total((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desiredReplicas(d) - available),
    terminatingReplicas: total((rs) => rs.status?.terminatingReplicas),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  return status;
}

/** Updated, available and old replicas all where the spec wants them. */
export function isComplete(d: ReadonlyDeployment, s: DeepReadonly<DeploymentStatus>): boolean {
  const desired = desiredReplicas(d);
  return s.updatedReplicas === desired && s.replicas === desired && s.availableReplicas === desired && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Counts moved forward since the previous status: more updated, ready or available, fewer old. */
export function hasProgressed(prev: DeepReadonly<DeploymentStatus> | undefined, next: DeploymentStatus): boolean {
  const p = prev ?? {};
  const oldReplicas = (s: DeepReadonly<DeploymentStatus>) => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (p.updatedReplicas ?? 0) ||
    oldReplicas(next) < oldReplicas(p) ||
    (next.readyReplicas ?? 0) > (p.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (p.availableReplicas ?? 0)
  );
}

/** Kubernetes writes condition times in whole seconds (RFC 3339). */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `cond` replacing the condition of its type. An unchanged status and reason keeps the existing
 * condition as it is (its times included), unless `refresh` asks for a new lastUpdateTime — as
 * progress does; lastTransitionTime only moves when the status does.
 */
export function withCondition(conditions: readonly ReadonlyCondition[], cond: Condition, refresh = false): Condition[] {
  const prev = conditions.find((c) => c.type === cond.type);
  const others = conditions.filter((c) => c.type !== cond.type).map((c) => mutableCopy(c));
  if (prev && prev.status === cond.status && prev.reason === cond.reason && !refresh) return [...others, mutableCopy(prev)];
  const next = { ...cond };
  if (prev && prev.status === cond.status && prev.lastTransitionTime) next.lastTransitionTime = prev.lastTransitionTime;
  return [...others, next];
}

function condition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = timestamp(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

export function availableCondition(d: ReadonlyDeployment, s: DeploymentStatus, now: number): Condition {
  const desired = desiredReplicas(d);
  const minAvailable = desired - resolveBudget(d.spec?.strategy, desired).unavailable;
  return (s.availableReplicas ?? 0) >= minAvailable
    ? condition(AVAILABLE, 'True', REASON_MIN_AVAILABLE, 'Deployment has minimum availability.', now)
    : condition(AVAILABLE, 'False', REASON_MIN_UNAVAILABLE, 'Deployment does not have minimum availability.', now);
}

export interface ProgressInput {
  d: ReadonlyDeployment;
  newRS: ReadonlyRS | undefined;
  next: DeploymentStatus;
  now: number;
  hint?: RolloutHint;
}

/** The Progressing condition after this sync, or undefined to keep the current one. */
export function progressingCondition({ d, newRS, next, now, hint }: ProgressInput): Condition | undefined {
  const cur = d.status?.conditions?.find((c) => c.type === PROGRESSING);
  const rsName = newRS?.metadata.name ?? '';
  if (d.spec?.paused) {
    return cur?.reason === REASON_PAUSED ? undefined : condition(PROGRESSING, 'Unknown', REASON_PAUSED, 'Deployment is paused', now);
  }
  if (isComplete(d, next) && newRS) return condition(PROGRESSING, 'True', REASON_NEW_RS_AVAILABLE, `ReplicaSet "${rsName}" has successfully progressed.`, now);
  if (hint === REASON_NEW_RS_CREATED) return condition(PROGRESSING, 'True', hint, `Created new replica set "${rsName}"`, now);
  if (cur?.reason === REASON_PAUSED) return condition(PROGRESSING, 'Unknown', REASON_RESUMED, 'Deployment is resumed', now);
  if (hint === REASON_FOUND_NEW_RS && !cur?.message?.includes(`"${rsName}"`)) return condition(PROGRESSING, 'True', hint, `Found new replica set "${rsName}"`, now);
  if (newRS && hasProgressed(d.status, next)) return condition(PROGRESSING, 'True', REASON_RS_UPDATED, `ReplicaSet "${rsName}" is progressing.`, now);
  if (cur && msUntilDeadline(d, now) === 0 && cur.reason !== REASON_TIMED_OUT) {
    return condition(PROGRESSING, 'False', REASON_TIMED_OUT, `ReplicaSet "${rsName}" has timed out progressing.`, now);
  }
  return undefined;
}

/**
 * Milliseconds until the progress deadline passes (0 when passed); undefined when no deadline
 * applies (paused, complete, timed out already, or no Progressing condition yet).
 */
export function msUntilDeadline(d: ReadonlyDeployment, now: number): number | undefined {
  const seconds = d.spec?.progressDeadlineSeconds;
  const cur = d.status?.conditions?.find((c) => c.type === PROGRESSING);
  if (seconds === undefined || d.spec?.paused || !cur?.lastUpdateTime) return undefined;
  if (cur.reason === REASON_NEW_RS_AVAILABLE || cur.reason === REASON_TIMED_OUT) return undefined;
  const due = Date.parse(cur.lastUpdateTime) + seconds * 1000;
  return Math.max(0, due - now);
}

/** Status with Available and Progressing conditions, written when it changed. */
export async function syncRolloutStatus(deps: DeploymentDeps, d: ReadonlyDeployment, newRS: ReadonlyRS | undefined, all: readonly ReadonlyRS[], hint?: RolloutHint): Promise<SyncResult | void> {
  const now = deps.now();
  const next = calculateStatus(d, newRS, all);
  let conditions = withCondition(d.status?.conditions ?? [], availableCondition(d, next, now));
  const progressing = progressingCondition({ d, newRS, next, now, hint });
  if (progressing) conditions = withCondition(conditions, progressing, progressing.reason === REASON_RS_UPDATED);
  next.conditions = sortConditions(conditions);
  if (statusDiffers(d.status, next)) {
    const copy = mutableCopy(d);
    copy.status = next;
    const written = await deps.deployments.updateStatus(unpinned(copy));
    return requeueForDeadline(written, now, next);
  }
  return requeueForDeadline(d, now, next);
}

function requeueForDeadline(d: ReadonlyDeployment, now: number, next: DeploymentStatus): SyncResult | void {
  if (isComplete(d, next)) return;
  const ms = msUntilDeadline(d, now);
  return ms === undefined ? undefined : { requeueAfterMs: ms + 1 };
}

const CONDITION_ORDER = [AVAILABLE, PROGRESSING];
function sortConditions(cs: Condition[]): Condition[] {
  const rank = (t: string) => (CONDITION_ORDER.includes(t) ? CONDITION_ORDER.indexOf(t) : CONDITION_ORDER.length);
  return [...cs].sort((a, b) => rank(a.type) - rank(b.type));
}

function statusDiffers(a: DeepReadonly<DeploymentStatus> | undefined, b: DeploymentStatus): boolean {
  return semanticJson(a ?? {}) !== semanticJson(b);
}
