// syncBudget: one PodDisruptionBudget's status from its pods (Kubernetes' DisruptionController.sync):
//
//   pods the selector matches ─┬─ counts (budget.ts; scale.ts for percentages and maxUnavailable)
//                              ├─ status.disruptedPods: drop entries of deleted pods and expired ones
//                              └─ currentHealthy → disruptionsAllowed, DisruptionAllowed condition
//   fail (no controller found, …) → fail safe: disruptionsAllowed 0, DisruptionAllowed False SyncFailed
//
// A 409 from the status write is retried by the runner without failing safe. The next expiry of
// a disruptedPods entry asks the runner to look again then.
import { PDB_REASONS, withDisruptionAllowed, withDisruptionCondition, type Pod, type PodDisruptionBudget, type PodDisruptionBudgetStatus } from '@kite/api-types';
import { isConflict, selectorFromLabelSelector } from '@kite/apimachinery';
import { NAMESPACE_INDEX, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING, type Recorder } from '../framework/events.js';
import { forReading } from '../framework/owners.js';
import type { SyncResult } from '../framework/runner.js';
import { activeDisruptedPods, budgetCounts, countHealthy, disruptionsAllowed, needsControllerScale, type BudgetCounts } from './budget.js';
import { expectedScale, type ScaleFinder } from './scale.js';

/** Event reasons, as Kubernetes' disruption controller records them. */
export const REASON_NO_PODS = 'NoPods';
export const REASON_CALCULATE_FAILED = 'CalculateExpectedPodCountFailed';
export const REASON_UNMANAGED_PODS = 'UnmanagedPods';
export const REASON_NOT_DELETED = 'NotDeleted';

type ReadonlyPdb = DeepReadonly<PodDisruptionBudget>;
type ReadonlyPod = DeepReadonly<Pod>;

export interface DisruptionSyncDeps {
  pdbStore: Indexer<PodDisruptionBudget>;
  podStore: Indexer<Pod>;
  pdbs: Pick<ResourceClient<PodDisruptionBudget>, 'updateStatus'>;
  finders: readonly ScaleFinder[];
  recorder: Recorder;
  now: () => number;
}

/** The pods in the budget's namespace its selector matches (a missing selector matches none, an empty one all). */
export function podsForBudget(podStore: Indexer<Pod>, pdb: ReadonlyPdb): ReadonlyPod[] {
  const selector = selectorFromLabelSelector(forReading(pdb).spec?.selector);
  return podStore.byIndex(NAMESPACE_INDEX, pdb.metadata.namespace ?? '').filter((p) => selector.matches(p.metadata.labels));
}

export async function syncBudget(deps: DisruptionSyncDeps, key: string): Promise<SyncResult | void> {
  const pdb = deps.pdbStore.get(key);
  if (!pdb) return;
  try {
    return await trySync(deps, pdb);
  } catch (err) {
    if (isConflict(err)) throw err;
    await failSafe(deps, pdb, err instanceof Error ? err.message : String(err));
  }
}

async function trySync(deps: DisruptionSyncDeps, pdb: ReadonlyPdb): Promise<SyncResult | void> {
  const pods = podsForBudget(deps.podStore, pdb);
  if (pods.length === 0) deps.recorder.event(pdb, EVENT_NORMAL, REASON_NO_PODS, 'No matching pods found');
  const counts = await countsFor(deps, pdb, pods);
  const now = deps.now();
  const disrupted = activeDisruptedPods(pods, pdb.status?.disruptedPods, now);
  for (const name of disrupted.expired) {
    const pod = pods.find((p) => p.metadata.name === name);
    if (pod) deps.recorder.event(pod, EVENT_WARNING, REASON_NOT_DELETED, `Pod was expected by PDB ${pdb.metadata.namespace ?? ''}/${pdb.metadata.name ?? ''} to be deleted but it wasn't`);
  }
  const currentHealthy = countHealthy(pods, disrupted.pending, now);
  await writeStatus(deps, pdb, {
    ...counts,
    currentHealthy,
    disruptionsAllowed: disruptionsAllowed(currentHealthy, counts.desiredHealthy, counts.expectedPods),
    disruptedPods: disrupted.pending,
  });
  if (disrupted.recheckAt !== undefined) return { requeueAfterMs: Math.max(0, disrupted.recheckAt - now) };
}

async function countsFor(deps: DisruptionSyncDeps, pdb: ReadonlyPdb, pods: readonly ReadonlyPod[]): Promise<BudgetCounts> {
  const spec = pdb.spec ?? {};
  if (!needsControllerScale(spec)) return budgetCounts(spec, pods.length, 0);
  try {
    const scale = await expectedScale(pods, deps.finders);
    if (scale.unmanaged.length > 0) {
      const selector = selectorFromLabelSelector(forReading(pdb).spec?.selector).toString();
      deps.recorder.event(
        pdb,
        EVENT_WARNING,
        REASON_UNMANAGED_PODS,
        `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    return budgetCounts(spec, pods.length, scale.total);
  } catch (err) {
    deps.recorder.event(pdb, EVENT_WARNING, REASON_CALCULATE_FAILED, `Failed to calculate the number of expected pods: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

type Computed = Required<Pick<PodDisruptionBudgetStatus, 'expectedPods' | 'desiredHealthy' | 'currentHealthy' | 'disruptionsAllowed' | 'disruptedPods'>>;

/** Writes the computed status, with observedGeneration and the DisruptionAllowed condition, unless nothing changed. */
async function writeStatus(deps: DisruptionSyncDeps, pdb: ReadonlyPdb, c: Computed): Promise<void> {
  const current = forReading(pdb);
  const observedGeneration = current.metadata.generation ?? 0;
  const at = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = withDisruptionAllowed(current.status?.conditions ?? [], c.disruptionsAllowed, observedGeneration, at);
  const status: PodDisruptionBudgetStatus = { ...c, observedGeneration, conditions };
  if (JSON.stringify(normalize(status)) === JSON.stringify(normalize(current.status ?? {}))) return;
  await deps.pdbs.updateStatus({ ...structuredClone(current), status });
}

/** Fail safe: no disruption allowed until a sync succeeds, with the error in the condition. */
async function failSafe(deps: DisruptionSyncDeps, pdb: ReadonlyPdb, message: string): Promise<void> {
  const current = structuredClone(forReading(pdb));
  const st = (current.status ??= {});
  st.disruptionsAllowed = 0;
  const at = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  st.conditions = withDisruptionCondition(st.conditions ?? [], 'False', PDB_REASONS.SyncFailed, message, st.observedGeneration, at);
  await deps.pdbs.updateStatus(current);
}

/** Status fields in a fixed order, so that key order does not count as a change. */
function normalize(s: PodDisruptionBudgetStatus): unknown[] {
  const pods = Object.entries(s.disruptedPods ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const conditions = [...(s.conditions ?? [])].sort((a, b) => a.type.localeCompare(b.type)).map((c) => [c.type, c.status, c.reason, c.message ?? '', c.observedGeneration, c.lastTransitionTime]);
  return [s.observedGeneration, s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed, pods, conditions];
}
