// Garbage collector: deleting an owner deletes its dependents, in the three propagation modes
// the apiserver prepares (apps/apiserver marks the owner; this controller finishes the job):
//   Background  the owner is gone at once; its dependents are found dangling and deleted.
//   Foreground  the owner waits (foregroundDeletion finalizer) until its blocking dependents are
//               gone, which this controller deletes first.
//   Orphan      the owner waits (orphan finalizer) until its dependents no longer reference it.
//
// It monitors every kind the registry serves (Events aside, as in Kubernetes), with an owner-uid
// index on each informer. Queue keys are `ACTION|uid`:
//   d|uid  look at an object's owners (sync.ts attemptToDelete)
//   f|uid  an owner deleted in the foreground (processForeground)
//   o|uid  an owner deleted with orphaning (processOrphan)
// Event rules: an object with owners is looked at when an owner is unknown or being deleted; an
// owner being deleted with a finalizer gets f| or o|; a deleted object gets its dependents looked
// at (they may now dangle) and its foreground-deleting owners re-checked (one blocker fewer).
import { allResources, type KubeObject, type ResourceType } from '@kite/api-types';
import type { Informer } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { OWNER_UID_INDEX, ownerUidIndexFunc } from '../framework/informers.js';
import { ControllerRunner } from '../framework/runner.js';
import { OwnershipGraph, orphaning, waitingForDependents, type Monitor, type ReadonlyObject } from './graph.js';
import { attemptToDelete, processForeground, processOrphan, type GCDeps } from './sync.js';

export const GARBAGE_COLLECTOR = 'garbagecollector';
/** Concurrent syncs (Kubernetes' --concurrent-gc-syncs). */
export const DEFAULT_GC_WORKERS = 20;
/** Resources (`group/plural`) never collected: Events are many, short-lived, and expire on their own. */
export const IGNORED_RESOURCES: ReadonlySet<string> = new Set(['/events', 'events.k8s.io/events']);

const DEPENDENT = 'd';
const FOREGROUND = 'f';
const ORPHAN = 'o';

export function monitoredResources(): ResourceType[] {
  return allResources.filter((rt) => !IGNORED_RESOURCES.has(`${rt.group}/${rt.plural}`));
}

export class GarbageCollector implements Controller {
  readonly name = GARBAGE_COLLECTOR;
  private readonly runner: ControllerRunner;
  private readonly graph = new OwnershipGraph();

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const deps: GCDeps = { graph: this.graph, client: ctx.client, enqueueDependent: (uid) => this.runner.enqueue(`${DEPENDENT}|${uid}`) };
    const informers: Informer<KubeObject>[] = [];
    for (const rt of monitoredResources()) {
      const informer = ctx.informers.index<KubeObject>(rt, OWNER_UID_INDEX, ownerUidIndexFunc);
      const monitor: Monitor = { rt, store: informer.store };
      this.graph.addMonitor(monitor);
      informers.push(informer);
      informer
        .on('add', (obj) => this.changed(monitor, obj))
        .on('update', (_old, obj) => this.changed(monitor, obj))
        .on('delete', (obj) => this.deleted(obj));
    }
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_GC_WORKERS,
      sync: (key) => dispatch(deps, key),
      hasSynced: () => informers.every((i) => i.hasSynced()),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }

  private changed(m: Monitor, obj: ReadonlyObject): void {
    this.graph.observe(m, obj);
    const uid = obj.metadata.uid;
    if (!uid) return;
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.some((r) => !this.graph.has(r.uid) || this.graph.get(r.uid)?.obj.metadata.deletionTimestamp)) this.runner.enqueue(`${DEPENDENT}|${uid}`);
    if (waitingForDependents(obj)) this.runner.enqueue(`${FOREGROUND}|${uid}`);
    if (orphaning(obj)) this.runner.enqueue(`${ORPHAN}|${uid}`);
  }

  private deleted(obj: ReadonlyObject): void {
    this.graph.forget(obj);
    const uid = obj.metadata.uid;
    if (!uid) return;
    for (const d of this.graph.dependents(uid)) if (d.obj.metadata.uid) this.runner.enqueue(`${DEPENDENT}|${d.obj.metadata.uid}`);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner = this.graph.get(ref.uid);
      if (owner && waitingForDependents(owner.obj)) this.runner.enqueue(`${FOREGROUND}|${ref.uid}`);
    }
  }
}

function dispatch(deps: GCDeps, key: string): Promise<void> {
  const [action, uid = ''] = key.split('|');
  switch (action) {
    case FOREGROUND:
      return processForeground(deps, uid);
    case ORPHAN:
      return processOrphan(deps, uid);
    default:
      return attemptToDelete(deps, uid);
  }
}
