// Rollback.
//
// `kubectl rollout undo` (v1.32) needs nothing from this controller: kubectl itself reads the
// ReplicaSets' revision annotations, and patches the Deployment's template back to the chosen
// ReplicaSet's template (minus pod-template-hash). The next sync then finds that ReplicaSet as
// the "new" one (same template), bumps its revision to the top, and rolls to it as to any
// template change.
//
// The older server-side request — the `deprecated.deployment.rollback.to` annotation carrying a
// revision (0 = the previous one) — costs a few lines, so it is supported too:
// copy that revision's template into the Deployment and drop the annotation, in one update.
// An unknown revision only drops the annotation, with a warning Event.
import type { PodTemplateSpec } from '@kite/api-types';
import { mutableCopy } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import {
  REASON_DEPLOYMENT_ROLLBACK,
  REASON_ROLLBACK_REVISION_NOT_FOUND,
  REASON_ROLLBACK_TEMPLATE_UNCHANGED,
  type DeploymentDeps,
  type ReadonlyDeployment,
  type ReadonlyRS,
} from './context.js';
import { POD_TEMPLATE_HASH_LABEL, templatesEqual } from './hash.js';
import { revisionOf, ROLLBACK_TO_ANNOTATION } from './revisions.js';

/** The revision a rollback annotation asks for: undefined without one, 0 for "the previous". */
export function rollbackRequest(d: ReadonlyDeployment): number | undefined {
  const raw = d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The ReplicaSet to roll back to: `revision`, or for 0 the highest revision below the current. */
export function rollbackTarget(rss: readonly ReadonlyRS[], revision: number, current: number): ReadonlyRS | undefined {
  if (revision > 0) return rss.find((rs) => revisionOf(rs) === revision);
  return [...rss].filter((rs) => revisionOf(rs) < current).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
}

export async function rollback(deps: DeploymentDeps, d: ReadonlyDeployment, rss: readonly ReadonlyRS[]): Promise<void> {
  const revision = rollbackRequest(d) ?? 0;
  const current = Math.max(revisionOf(d), ...rss.map(revisionOf));
  const target = rollbackTarget(rss, revision, current);
  const copy = mutableCopy(d);
  delete copy.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (!target?.spec?.template) {
    deps.recorder.event(d, EVENT_WARNING, REASON_ROLLBACK_REVISION_NOT_FOUND, `Unable to find the revision to rollback to.`);
  } else if (templatesEqual(target.spec.template, d.spec?.template)) {
    deps.recorder.event(d, EVENT_WARNING, REASON_ROLLBACK_TEMPLATE_UNCHANGED, `The rollback revision contains the same template as current deployment "${d.metadata.name ?? ''}"`);
  } else if (copy.spec) {
    copy.spec.template = templateWithoutHash(target.spec.template as PodTemplateSpec);
    deps.recorder.event(d, EVENT_NORMAL, REASON_DEPLOYMENT_ROLLBACK, `Rolled back deployment "${d.metadata.name ?? ''}" to revision ${revisionOf(target)}`);
  }
  await deps.deployments.update(copy);
}

function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const t = structuredClone(template);
  if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return t;
}
