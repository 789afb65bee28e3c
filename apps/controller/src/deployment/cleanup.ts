// Revision history: once a rollout is complete, old ReplicaSets beyond `revisionHistoryLimit`
// are deleted, lowest revision first. Only fully scaled-down ones (spec and status replicas 0,
// not already being deleted) qualify: a ReplicaSet still running pods is never history.
// Example: limit 2, old ReplicaSets at revisions 1, 2, 3 (all at 0) → delete revision 1.
import { DEFAULT_REVISION_HISTORY_LIMIT } from '@kite/api-types';
import { ignoreNotFound } from '../framework/owners.js';
import type { DeploymentDeps, ReadonlyDeployment, ReadonlyRS } from './context.js';
import { revisionOf, specReplicas } from './revisions.js';

/** The old ReplicaSets to delete to honour the history limit. */
export function historyToDelete(olds: readonly ReadonlyRS[], limit: number): ReadonlyRS[] {
  const idle = olds.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp);
  const excess = idle.length - Math.max(0, limit);
  if (excess <= 0) return [];
  return [...idle].sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')).slice(0, excess);
}

export async function cleanupOldReplicaSets(deps: DeploymentDeps, d: ReadonlyDeployment, olds: readonly ReadonlyRS[]): Promise<void> {
  const victims = historyToDelete(olds, d.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
  await Promise.all(
    victims.map((rs) =>
      ignoreNotFound(deps.replicaSets.delete(rs.metadata.name ?? '', { namespace: rs.metadata.namespace, preconditions: { uid: rs.metadata.uid } })),
    ),
  );
}
