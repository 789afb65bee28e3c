// The first two steps of every pod-owning workload's sync (ReplicaSet, Job, DaemonSet,
// StatefulSet): read its selector (an invalid one is a Warning Event, and the sync stops without a
// retry: only an edit can fix it), then claim its pods — those it controls, plus orphans the
// selector matches (adopted) — releasing controlled pods the selector no longer matches.
import type { KubeObject, LabelSelector, Pod } from '@kite/api-types';
import { selectorFromLabelSelector, type Selector } from '@kite/apimachinery';
import type { DeepReadonly, Indexer, ResourceClient } from '@kite/client';
import { EVENT_WARNING, type Recorder } from './events.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX } from './informers.js';
import { claim, forReading } from './owners.js';
import { describe } from './runner.js';

export const REASON_INVALID_SELECTOR = 'InvalidSelector';

type SelectingOwner = DeepReadonly<KubeObject & { apiVersion: string; kind: string; spec?: { selector?: LabelSelector } }>;

export function selectorOrWarn(recorder: Recorder, owner: SelectingOwner): Selector | undefined {
  try {
    return selectorFromLabelSelector(forReading(owner).spec?.selector);
  } catch (err) {
    recorder.event(owner, EVENT_WARNING, REASON_INVALID_SELECTOR, `Invalid selector: ${describe(err)}`);
    return undefined;
  }
}

export interface PodClaimDeps {
  podStore: Indexer<Pod>;
  pods: ResourceClient<Pod>;
}

/** `member` narrows which orphans may be adopted (a StatefulSet takes only `SET-N`). */
export async function claimOwnedPods(deps: PodClaimDeps, owner: SelectingOwner, selector: Selector, member: (pod: DeepReadonly<Pod>) => boolean = () => true): Promise<DeepReadonly<Pod>[]> {
  const owned = deps.podStore.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid ?? '');
  const orphans = deps.podStore.byIndex(ORPHAN_INDEX, owner.metadata.namespace ?? '').filter(member);
  return claim({ owner, selector, candidates: [...owned, ...orphans], patch: (namespace, name, body) => deps.pods.patch(name, body, { type: 'merge', namespace }) });
}
