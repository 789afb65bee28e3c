// syncDaemonSet: one reconcile of one DaemonSet key, in named steps (Kubernetes' syncDaemonSet):
//   look up the DaemonSet → claim its pods → fit of every node (node-fit.ts) → revisions
//   (history.ts: the current one names the hash new pods carry) → when earlier creates and
//   deletes have all been observed: manage (placement.ts: a pod where one should run, none where
//   none may, failed pods replaced after a back-off), then — if manage had nothing to do — one
//   RollingUpdate round (rolling.ts), then history cleanup → status → requeue when a ready pod is
//   about to become available or a failed pod's back-off ends.
// Reads come from the informer caches; cached objects are never modified.
import { CONTROLLER_REVISION_HASH_LABEL, type ControllerRevision, type DaemonSet, type Node, type Pod } from '@kite/api-types';
import { mutableCopy, type DeepReadonly, type Indexer, type ResourceClient } from '@kite/client';
import { claimOwnedPods, selectorOrWarn } from '../framework/owned-pod-claims.js';
import { EVENT_WARNING } from '../framework/events.js';
import { unpinned } from '../framework/owners.js';
import { isPodAvailable, msUntilAvailable, type ReadonlyPod } from '../framework/pods.js';
import { type SyncResult } from '../framework/runner.js';
import type { FailedPodBackoff } from './backoff.js';
import { targetNodeName } from './daemon-pod.js';
import { cleanupHistory, constructHistory, type HistoryDeps } from '../history/history.js';
import { nodeShouldRunDaemonPod, type NodeFit } from './node-fit.js';
import { planNode } from './placement.js';
import { revisionHash, templateHash } from '../history/revisions.js';
import { allowsSurge, planRollingUpdate, rollingBudget, splitByRevision, type NodePods } from './rolling.js';
import { computeStatus } from './status.js';
import { statusChanged } from '../framework/status.js';
import { syncNodes, type SyncNodesDeps } from './sync-nodes.js';

export { REASON_INVALID_SELECTOR } from '../framework/owned-pod-claims.js';
export const REASON_FAILED_DAEMON_POD = 'FailedDaemonPod';

type ReadonlyDS = DeepReadonly<DaemonSet>;

export interface DaemonSetSyncDeps extends HistoryDeps, SyncNodesDeps {
  daemonSetStore: Indexer<DaemonSet>;
  podStore: Indexer<Pod>;
  nodeStore: Indexer<Node>;
  revisionStore: Indexer<ControllerRevision>;
  daemonSets: ResourceClient<DaemonSet>;
  pods: ResourceClient<Pod>;
  backoff: FailedPodBackoff;
  now: () => number;
}

/** What one sync saw: the nodes' fit and the daemon pods by the node they target. */
interface Snapshot {
  ds: ReadonlyDS;
  fits: Map<string, NodeFit>;
  podsByNode: Map<string, ReadonlyPod[]>;
  now: number;
}

export async function syncDaemonSet(deps: DaemonSetSyncDeps, key: string): Promise<SyncResult | void> {
  const ds = deps.daemonSetStore.get(key);
  if (!ds) {
    deps.creations.forget(key);
    deps.deletions.forget(key);
    return;
  }
  const selector = selectorOrWarn(deps.recorder, ds);
  if (!selector) return;
  const pods = await claimOwnedPods(deps, ds, selector);
  const snap = snapshot(deps, ds, pods);
  if (ds.metadata.deletionTimestamp) return void (await writeStatus(deps, snap, templateHash(ds)));
  const history = await constructHistory(deps, deps.daemonSets, ds, selector);
  const hash = revisionHash(history.current);
  let backoffMs: number | undefined;
  if (satisfied(deps, key)) {
    const managed = await manage(deps, snap, hash);
    backoffMs = managed.wait;
    // After creates or deletes the snapshot is stale (a pod created a moment ago may already have
    // ticked off its expectation without being in it): the next sync rolls on from fresh data.
    if (!managed.acted && ds.spec?.updateStrategy?.type !== 'OnDelete') await rollingUpdate(deps, snap, hash);
    await cleanupHistory(deps, ds, history.old, new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')));
  }
  await writeStatus(deps, snap, hash);
  const next = Math.min(backoffMs ?? Infinity, nextAvailableIn(snap));
  return Number.isFinite(next) ? { requeueAfterMs: next } : undefined;
}

const satisfied = (deps: DaemonSetSyncDeps, key: string): boolean => deps.creations.satisfied(key) && deps.deletions.satisfied(key);

/** The fit of every node, and the pods by target node (finished pods being deleted left out). */
function snapshot(deps: DaemonSetSyncDeps, ds: ReadonlyDS, pods: readonly ReadonlyPod[]): Snapshot {
  const fits = new Map<string, NodeFit>();
  for (const node of deps.nodeStore.list()) fits.set(node.metadata.name ?? '', nodeShouldRunDaemonPod(ds.spec?.template.spec, node));
  const podsByNode = new Map<string, ReadonlyPod[]>();
  for (const pod of pods) {
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const node = targetNodeName(pod);
    if ((finished && pod.metadata.deletionTimestamp) || node === undefined) continue;
    podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod]);
  }
  return { ds, fits, podsByNode, now: deps.now() };
}

/** Creates and deletes pods so each node has what placement.ts says; reports a back-off wait. */
async function manage(deps: DaemonSetSyncDeps, snap: Snapshot, hash: string): Promise<{ acted: boolean; wait: number | undefined }> {
  const { ds } = snap;
  const surge = allowsSurge(ds);
  const victims: ReadonlyPod[] = [];
  const createOn: string[] = [];
  let wait: number | undefined;
  for (const [node, fit] of snap.fits) {
    const plan = planNode({ fit, pods: snap.podsByNode.get(node) ?? [], hash, allowsSurge: surge, minReadySeconds: ds.spec?.minReadySeconds ?? 0, now: snap.now });
    if (plan.create) createOn.push(node);
    victims.push(...plan.delete);
    for (const pod of plan.failed) {
      const key = `${ds.metadata.uid ?? ''}/${node}`;
      const left = deps.backoff.remaining(key);
      if (left > 0) {
        wait = Math.min(wait ?? Infinity, left);
        continue;
      }
      deps.backoff.next(key);
      deps.recorder.event(ds, EVENT_WARNING, REASON_FAILED_DAEMON_POD, `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${node}, will try to kill it`);
      victims.push(pod);
    }
  }
  // Pods meant for a node that no longer exists can never run.
  for (const [node, pods] of snap.podsByNode) if (!snap.fits.has(node)) victims.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
  const acted = victims.length > 0 || createOn.length > 0;
  if (acted) await syncNodes(deps, ds, victims, createOn, hash);
  return { acted, wait };
}

async function rollingUpdate(deps: DaemonSetSyncDeps, snap: Snapshot, hash: string): Promise<void> {
  const { ds } = snap;
  const desired = [...snap.fits.values()].filter((f) => f.shouldRun).length;
  const nodes: NodePods[] = [];
  for (const [node, pods] of snap.podsByNode) {
    const split = splitByRevision(node, pods, hash);
    if (split) nodes.push(split);
  }
  // A node that should run the pod and has none counts against maxUnavailable too.
  for (const [node, fit] of snap.fits) if (fit.shouldRun && !snap.podsByNode.has(node)) nodes.push({ node });
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const plan = planRollingUpdate(nodes, rollingBudget(ds, desired), (p) => isPodAvailable(p, minReady, snap.now));
  if (plan.delete.length > 0 || plan.surgeOn.length > 0) await syncNodes(deps, ds, plan.delete, plan.surgeOn, hash);
}

async function writeStatus(deps: DaemonSetSyncDeps, snap: Snapshot, hash: string): Promise<void> {
  const status = computeStatus({ ds: snap.ds, fits: snap.fits, podsByNode: snap.podsByNode, hash, now: snap.now });
  if (!statusChanged(snap.ds.status, status)) return;
  const copy = mutableCopy(snap.ds);
  copy.status = status;
  await deps.daemonSets.updateStatus(unpinned(copy));
}

/** Milliseconds until a ready pod becomes available (minReadySeconds); Infinity for none. */
function nextAvailableIn(snap: Snapshot): number {
  let soonest = Infinity;
  for (const pods of snap.podsByNode.values()) {
    for (const p of pods) soonest = Math.min(soonest, msUntilAvailable(p, snap.ds.spec?.minReadySeconds ?? 0, snap.now) ?? Infinity);
  }
  return soonest;
}
