// Stale DisruptionTarget conditions (Kubernetes' syncStalePodDisruption): the eviction
// subresource marks a pod DisruptionTarget=True just before deleting it; when the delete then
// fails (a precondition, a conflict), the pod keeps running with a condition that says it is
// going away. Two minutes after the condition's transition, a pod that is still not being
// deleted gets it set back to False. Conditions the kubelet sets (TerminationByKubelet) and pods
// in a terminal phase are left alone, as in Kubernetes.
import { POD_CONDITIONS, type Condition, type Pod } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import type { Indexer, ResourceClient } from '@kite/client';
import { forReading } from '../framework/owners.js';
import type { ReadonlyPod } from '../framework/pods.js';
import type { SyncResult } from '../framework/runner.js';

/** How long a DisruptionTarget condition may stand on a pod that is not being deleted (Kubernetes' stalePodDisruptionTimeout). */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;
/** The kubelet's own reason, never stale (its termination may take arbitrarily long to start). */
const TERMINATION_BY_KUBELET = 'TerminationByKubelet';

/**
 * Milliseconds until the pod's DisruptionTarget condition is stale (0: it is now), or undefined
 * when it has none that can go stale.
 */
export function staleDisruptionIn(pod: ReadonlyPod, now: number): number | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === POD_CONDITIONS.DisruptionTarget);
  if (cond?.status !== 'True' || cond.reason === TERMINATION_BY_KUBELET) return undefined;
  const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : NaN;
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + STALE_POD_DISRUPTION_TIMEOUT_MS - now);
}

export interface StaleSyncDeps {
  podStore: Indexer<Pod>;
  pods: Pick<ResourceClient<Pod>, 'updateStatus'>;
  now: () => number;
}

/** Resets a stale DisruptionTarget condition to False, or asks to look again when it will be stale. */
export async function syncStalePod(deps: StaleSyncDeps, key: string): Promise<SyncResult | void> {
  const cached = deps.podStore.get(key);
  if (!cached) return;
  const wait = staleDisruptionIn(cached, deps.now());
  if (wait === undefined) return;
  if (wait > 0) return { requeueAfterMs: wait };
  const pod = structuredClone(forReading(cached));
  const at = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const reset: Condition = { type: POD_CONDITIONS.DisruptionTarget, status: 'False', lastTransitionTime: at };
  const st = (pod.status ??= {});
  st.conditions = (st.conditions ?? []).map((c) => (c.type === POD_CONDITIONS.DisruptionTarget ? reset : c));
  try {
    await deps.pods.updateStatus(pod);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
