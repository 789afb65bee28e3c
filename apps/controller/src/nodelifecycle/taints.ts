// Node condition taints and NoExecute eviction timing (pure; table-tested).
//
// Taints follow the node's Ready condition (Kubernetes' TaintNodesByCondition + taint manager):
//   Ready=Unknown → node.kubernetes.io/unreachable, NoSchedule and NoExecute
//   Ready=False   → node.kubernetes.io/not-ready,   NoSchedule and NoExecute
//   Ready=True    → neither
// Other taints (kubectl taint, cordon) are left as they are. An existing taint keeps its
// timeAdded, which is when eviction clocks start.
//
// Eviction of a pod from a node with NoExecute taints:
//   - a taint the pod does not tolerate → evict now, except the two taints above, which pods
//     tolerate for the default toleration seconds (Kubernetes' DefaultTolerationSeconds admission
//     adds that toleration to every pod; kite applies it here instead);
//   - a tolerated taint with tolerationSeconds → evict that long after the taint's timeAdded;
//   - a tolerated taint without tolerationSeconds → never on its account.
//   The earliest of these wins.
// Example: unreachable since 10:00:00, default 300 s, pod without tolerations → evict 10:05:00;
// the same pod with `unreachable:NoExecute for 30s` → evict 10:00:30.
import type { Taint, Toleration } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const CONDITION_TAINTS = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);

export type ReadyStatus = 'True' | 'False' | 'Unknown';
type RTaint = DeepReadonly<Taint>;
type RToleration = DeepReadonly<Toleration>;

/** The condition taints a node with this Ready status should carry. */
export function conditionTaintKey(ready: ReadyStatus): string | undefined {
  if (ready === 'Unknown') return TAINT_UNREACHABLE;
  if (ready === 'False') return TAINT_NOT_READY;
  return undefined;
}

/**
 * The node's taints with the condition taints made to match `ready`; undefined when nothing
 * changes. New NoExecute taints get timeAdded = now.
 */
export function reconcileConditionTaints(current: readonly RTaint[], ready: ReadyStatus, now: string): Taint[] | undefined {
  const key = conditionTaintKey(ready);
  const others = current.filter((t) => !CONDITION_TAINTS.has(t.key));
  const wanted: Taint[] = [];
  if (key) {
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      const existing = current.find((t) => t.key === key && t.effect === effect);
      wanted.push(existing ? { ...existing } : { key, effect, ...(effect === 'NoExecute' ? { timeAdded: now } : {}) });
    }
  }
  const next = [...others.map((t) => ({ ...t })), ...wanted];
  const same = next.length === current.length && next.every((t) => current.some((c) => c.key === t.key && c.effect === t.effect && c.value === t.value));
  return same ? undefined : next;
}

export function tolerates(tol: RToleration, taint: RTaint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return !tol.key || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}

/**
 * Epoch ms at which the pod must be evicted from a node with these taints; Infinity for never.
 * `defaultSeconds` is the toleration pods get for the unreachable and not-ready taints.
 */
export function evictionTime(tolerations: readonly RToleration[], taints: readonly RTaint[], defaultSeconds: number, now: number): number {
  let at = Infinity;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    let seconds: number;
    if (matching.length === 0) seconds = CONDITION_TAINTS.has(taint.key) ? defaultSeconds : 0;
    else if (matching.some((t) => t.tolerationSeconds === undefined)) continue;
    else seconds = Math.min(...matching.map((t) => Math.max(0, t.tolerationSeconds ?? 0)));
    at = Math.min(at, (Number.isNaN(added) ? now : added) + seconds * 1000);
  }
  return at;
}
