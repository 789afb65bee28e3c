// The PodDisruptionBudget side of an eviction, as Kubernetes' EvictionREST.checkAndDecrement:
// find the one budget that covers a pod, and spend one of its allowed disruptions with an
// optimistic-concurrency status update, noting the pod in status.disruptedPods so that the
// disruption controller stops counting it as healthy until it is gone (or 2 minutes pass).
//
// Refusals:
//   observedGeneration behind the spec  → 429, "…is still being processed by the server."
//   disruptionsAllowed < 0              → 403 (a status no controller writes)
//   too many unconfirmed disruptedPods  → 403
//   disruptionsAllowed == 0             → 429 "Cannot evict pod as it would violate the pod's disruption budget."
import {
  DISRUPTION_BUDGET_CAUSE,
  PodDisruptionBudgetResource,
  withDisruptionAllowed,
  type CauseType,
  type Pod,
  type PodDisruptionBudget,
  type ResourceType,
  type Status,
} from '@kite/api-types';
import { ApiError, failureStatus, forbidden, selectorFromLabelSelector } from '@kite/apimachinery';
import { now } from '../meta.js';
import type { RestStorage } from '../rest.js';

/** Kubernetes' message for an eviction the budget forbids (fixed interface 3 of issue 12). */
export const EVICTION_BLOCKED_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Kubernetes' answer when a pod is covered by several budgets (served as a 500 Status). */
export const MULTIPLE_PDBS_MESSAGE = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
/** Entries of status.disruptedPods beyond which evictions stop (Kubernetes' MaxDisruptedPodSize). */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** Retry-After of a 429 while the controller has not caught up with the budget's spec. */
const PROCESSING_RETRY_SECONDS = 10;

const PDB_RT = PodDisruptionBudgetResource as unknown as ResourceType;
const PDB_GROUP_RESOURCE = { group: 'policy', plural: 'poddisruptionbudget' };

function tooManyRequests(retryAfterSeconds: number, causeMessage: string): ApiError {
  // CauseType lists field causes only; Kubernetes uses DisruptionBudget for this one.
  const reason = DISRUPTION_BUDGET_CAUSE as CauseType;
  return new ApiError(failureStatus(429, 'TooManyRequests', EVICTION_BLOCKED_MESSAGE, { retryAfterSeconds, causes: [{ reason, message: causeMessage, field: '' }] }));
}

/** 429 for a budget the controller has not processed yet (also used when a guarded delete raced). */
export const stillProcessing = (pdbName: string): ApiError => tooManyRequests(PROCESSING_RETRY_SECONDS, `The disruption budget ${pdbName} is still being processed by the server.`);

/** The 500 Status Kubernetes answers for a pod covered by several budgets (it carries no reason). */
export function multipleBudgets(): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_PDBS_MESSAGE, code: 500 };
  return new ApiError(status);
}

/** The budgets in the pod's namespace whose selector matches it; nil and empty selectors match nothing here, as in Kubernetes. */
export async function budgetsFor(rest: RestStorage, pod: Pod): Promise<PodDisruptionBudget[]> {
  const list = await rest.list({ rt: PDB_RT, namespace: pod.metadata.namespace ?? '' }, {});
  return (list.items as PodDisruptionBudget[]).filter((pdb) => {
    try {
      const sel = selectorFromLabelSelector(pdb.spec?.selector);
      return !sel.isEmpty() && !sel.selectsNothing() && sel.matches(pod.metadata.labels);
    } catch {
      return false; // an invalid selector matches no pod
    }
  });
}

/** Throws the refusal for a budget that allows no eviction now, or returns normally. */
export function checkBudget(pdb: PodDisruptionBudget): void {
  const name = pdb.metadata.name ?? '';
  const st = pdb.status ?? {};
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0) throw forbidden(PDB_GROUP_RESOURCE, name, 'pdb disruptions allowed is negative');
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbidden(PDB_GROUP_RESOURCE, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) throw tooManyRequests(0, `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
}

/**
 * Checks the budget and spends one disruption for `podName`, re-reading and re-checking on a
 * concurrent change (guaranteedUpdate's retry). A dry run checks without writing.
 */
export async function checkAndDecrement(rest: RestStorage, namespace: string, pdbName: string, podName: string, dryRun: boolean): Promise<void> {
  const scope = { rt: PDB_RT, namespace, subresource: 'status' };
  await rest.guaranteedUpdate(
    scope,
    pdbName,
    (current) => {
      const pdb = current as unknown as PodDisruptionBudget;
      checkBudget(pdb);
      const st = (pdb.status ??= {});
      st.disruptionsAllowed = (st.disruptionsAllowed ?? 0) - 1;
      const at = now();
      if (st.disruptionsAllowed === 0) st.conditions = withDisruptionAllowed(st.conditions ?? [], 0, st.observedGeneration, at);
      st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: at };
      return current;
    },
    { dryRun },
  );
}
