// Namespace lifecycle: a namespace being deleted (the apiserver has set deletionTimestamp and
// phase Terminating, and refuses new objects in it) is emptied, then released.
//
//   sync(name) → not terminating, or `kubernetes` finalizer already gone: nothing
//              → delete every kind's objects in it (deleter.ts)
//              → report NamespaceContentRemaining / NamespaceDeletionContentFailure conditions
//              → something left (pods in their grace period, finalizers): look again shortly
//              → nothing left: remove `kubernetes` from spec.finalizers through the `finalize`
//                subresource; the apiserver then deletes the namespace.
import { NAMESPACE_FINALIZER, NamespaceResource, type Condition, type Namespace } from '@kite/api-types';
import { mutableCopy, type DeepReadonly, type Indexer, type KubeClient } from '@kite/client';
import { semanticJson } from '../framework/canonical.js';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ignoreNotFound, unpinned } from '../framework/owners.js';
import { ControllerRunner, type SyncResult } from '../framework/runner.js';
import { deleteNamespaceContent, type DeleteResult } from './deleter.js';

export const NAMESPACE_CONTROLLER = 'namespace';
/** Concurrent syncs (Kubernetes' --concurrent-namespace-syncs). */
export const DEFAULT_NAMESPACE_WORKERS = 10;
/** Delay before looking again at a namespace whose content is still going away. */
export const NAMESPACE_RECHECK_MS = 250;
export const CONTENT_REMAINING = 'NamespaceContentRemaining';
export const CONTENT_FAILURE = 'NamespaceDeletionContentFailure';

interface Deps {
  store: Indexer<Namespace>;
  client: KubeClient;
  now: () => number;
}

export class NamespaceController implements Controller {
  readonly name = NAMESPACE_CONTROLLER;
  private readonly runner: ControllerRunner;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    const informer = ctx.informers.informer(NamespaceResource);
    const deps: Deps = { store: informer.store, client: ctx.client, now: ctx.now };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: opts.workers ?? DEFAULT_NAMESPACE_WORKERS,
      sync: (key) => syncNamespace(deps, key),
      hasSynced: () => informer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const enqueue = (ns: DeepReadonly<Namespace>) => {
      if (ns.metadata.deletionTimestamp) this.runner.enqueue(ns.metadata.name ?? '');
    };
    informer.on('add', enqueue).on('update', (_o, ns) => enqueue(ns));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}

async function syncNamespace(deps: Deps, name: string): Promise<SyncResult | void> {
  const ns = deps.store.get(name);
  if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(NAMESPACE_FINALIZER)) return;
  const result = await deleteNamespaceContent(deps.client, name);
  await writeConditions(deps, ns, result);
  if (result.failures.length > 0) throw new Error(`deleting content of namespace ${name}: ${result.failures.join('; ')}`);
  if (result.remaining.size > 0) return { requeueAfterMs: NAMESPACE_RECHECK_MS };
  const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
  const body: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers } };
  await ignoreNotFound(deps.client.raw('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, body));
}

/** The deletion conditions `kubectl describe namespace` shows, written when they change. */
async function writeConditions(deps: Deps, ns: DeepReadonly<Namespace>, result: DeleteResult): Promise<void> {
  const t = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const remaining = [...result.remaining.entries()].sort().map(([r, n]) => `${r} has ${n} resource instances`);
  const wanted: Condition[] = [
    remaining.length > 0
      ? { type: CONTENT_REMAINING, status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}`, lastTransitionTime: t }
      : { type: CONTENT_REMAINING, status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed', lastTransitionTime: t },
    result.failures.length > 0
      ? { type: CONTENT_FAILURE, status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types: ${result.failures.join('; ')}`, lastTransitionTime: t }
      : { type: CONTENT_FAILURE, status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted', lastTransitionTime: t },
  ];
  const current = ns.status?.conditions ?? [];
  const same = (a: DeepReadonly<Condition>, b: Condition) => a.status === b.status && a.reason === b.reason && a.message === b.message;
  if (wanted.every((w) => current.some((c) => c.type === w.type && same(c, w)))) return;
  const copy = mutableCopy(ns);
  const others = (copy.status?.conditions ?? []).filter((c) => !wanted.some((w) => w.type === c.type));
  copy.status = { ...(copy.status ?? {}), conditions: [...others, ...wanted] };
  if (semanticJson(copy.status) === semanticJson(ns.status)) return;
  await ignoreNotFound(deps.client.resource(NamespaceResource).updateStatus(unpinned(copy)));
}
