// Node lifecycle controller: notices nodes whose kubelet went silent, taints them, and evicts
// their pods so that their owners recreate them elsewhere; untaints nodes that come back.
//
//   sync(node) → heard from it within the grace period (health.ts)? If not, and Ready is not
//                Unknown yet: set every kubelet condition to Unknown (NodeStatusUnknown), and
//                mark its pods not Ready (so Endpoints drop them at once)
//              → condition taints follow Ready (taints.ts: unreachable / not-ready)
//              → pods on a node with NoExecute taints are evicted (deleted) once their
//                toleration runs out
//              → requeue for the next deadline: grace expiry or the next eviction.
// A ticker also enqueues every node each --node-monitor-period, as a safety net.
// Evicted pods stay Terminating until their kubelet confirms (as in Kubernetes); ReplicaSets no
// longer count them and create replacements at once.
import { LeaseResource, NODE_LEASE_NAMESPACE, NodeResource, PodResource, type Condition, type Node, type Pod } from '@kite/api-types';
import { mutableCopy, type DeepReadonly, type IndexFunc, type Indexer, type ResourceClient } from '@kite/client';
import type { Lease } from '@kite/api-types';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { EVENT_NORMAL, type Recorder } from '../framework/events.js';
import { ignoreNotFound } from '../framework/owners.js';
import { isPodReady } from '../framework/pods.js';
import { ControllerRunner, type SyncResult } from '../framework/runner.js';
import { HealthTracker } from './health.js';
import { evictionTime, reconcileConditionTaints, type ReadyStatus } from './taints.js';

export const NODE_LIFECYCLE_CONTROLLER = 'nodelifecycle';
const WORKERS = 4;
/** Conditions a kubelet owns; all become Unknown when it goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
/** Index of pods by spec.nodeName. */
export const NODE_NAME_INDEX = 'node-name';
const nodeNameIndexFunc: IndexFunc<Pod> = (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []);
/** Extra delay on deadline requeues, so the deadline has surely passed when the sync runs. */
const DEADLINE_SLACK_MS = 5;

export interface NodeLifecycleOptions {
  gracePeriodMs: number;
  monitorPeriodMs: number;
  defaultTolerationSeconds: number;
}

interface Deps extends NodeLifecycleOptions {
  nodes: Indexer<Node>;
  leases: Indexer<Lease>;
  pods: Indexer<Pod>;
  nodeClient: ResourceClient<Node>;
  podClient: ResourceClient<Pod>;
  health: HealthTracker;
  recorder: Recorder;
  now: () => number;
}

export class NodeLifecycleController implements Controller {
  readonly name = NODE_LIFECYCLE_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly deps: Deps;

  constructor(ctx: ControllerContext, opts: NodeLifecycleOptions) {
    const nodeInformer = ctx.informers.informer(NodeResource);
    const leaseInformer = ctx.informers.informer(LeaseResource);
    const podInformer = ctx.informers.index(PodResource, NODE_NAME_INDEX, nodeNameIndexFunc);
    this.deps = {
      ...opts,
      nodes: nodeInformer.store,
      leases: leaseInformer.store,
      pods: podInformer.store,
      nodeClient: ctx.client.resource(NodeResource),
      podClient: ctx.client.resource(PodResource),
      health: new HealthTracker(),
      recorder: ctx.recorder,
      now: ctx.now,
    };
    this.runner = new ControllerRunner({
      name: this.name,
      workers: WORKERS,
      sync: (key) => syncNode(this.deps, key),
      hasSynced: () => nodeInformer.hasSynced() && leaseInformer.hasSynced() && podInformer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    nodeInformer.on('add', (n) => this.enqueue(n.metadata.name)).on('update', (_o, n) => this.enqueue(n.metadata.name));
    nodeInformer.on('delete', (n) => this.deps.health.forget(n.metadata.name ?? ''));
    leaseInformer.on('add', (l) => this.leaseChanged(l)).on('update', (_o, l) => this.leaseChanged(l));
  }

  async run(signal: AbortSignal): Promise<void> {
    const ticker = setInterval(() => this.deps.nodes.keys().forEach((k) => this.runner.enqueue(k)), this.deps.monitorPeriodMs);
    try {
      await this.runner.run(signal);
    } finally {
      clearInterval(ticker);
    }
  }

  depth(): number {
    return this.runner.depth();
  }

  private enqueue(name: string | undefined): void {
    if (name) this.runner.enqueue(name);
  }

  private leaseChanged(lease: DeepReadonly<Lease>): void {
    if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) this.enqueue(lease.metadata.name);
  }
}

function readyStatus(node: DeepReadonly<Node>): ReadyStatus {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

async function syncNode(deps: Deps, name: string): Promise<SyncResult | void> {
  let node = deps.nodes.get(name);
  if (!node) return;
  const now = deps.now();
  const heard = deps.health.observe(node, deps.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`), now);
  const overdue = now - heard >= deps.gracePeriodMs;
  if (overdue && readyStatus(node) !== 'Unknown') {
    node = await markUnknown(deps, node, now);
    await markPodsNotReady(deps, name);
  }
  node = await syncTaints(deps, node, now);
  const nextEviction = await evictPods(deps, node, now);
  const deadlines = [nextEviction, overdue ? Infinity : heard + deps.gracePeriodMs].filter((t) => Number.isFinite(t));
  if (deadlines.length === 0) return;
  return { requeueAfterMs: Math.max(0, Math.min(...deadlines) - now) + DEADLINE_SLACK_MS };
}

/** Every kubelet condition to Unknown, keeping the last heartbeat the kubelet posted. */
async function markUnknown(deps: Deps, node: DeepReadonly<Node>, now: number): Promise<DeepReadonly<Node>> {
  const t = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const copy = mutableCopy(node);
  const conditions: Condition[] = copy.status?.conditions ?? [];
  for (const type of KUBELET_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    const unknown = { status: 'Unknown' as const, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: t };
    if (c) Object.assign(c, unknown);
    else conditions.push({ type, ...unknown, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  }
  copy.status = { ...(copy.status ?? {}), conditions };
  const written = await deps.nodeClient.updateStatus(copy);
  deps.recorder.event(node, EVENT_NORMAL, 'NodeNotReady', `Node ${node.metadata.name ?? ''} status is now: NodeNotReady`);
  return written;
}

/** Pods on a silent node can no longer be trusted to serve: Ready=False, so Endpoints drop them. */
async function markPodsNotReady(deps: Deps, nodeName: string): Promise<void> {
  const t = new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await Promise.all(
    deps.pods.byIndex(NODE_NAME_INDEX, nodeName).filter(isPodReady).map(async (pod) => {
      const copy = mutableCopy(pod);
      for (const c of copy.status?.conditions ?? []) if (c.type === 'Ready') Object.assign(c, { status: 'False', reason: 'NodeNotReady', lastTransitionTime: t });
      await ignoreNotFound(deps.podClient.updateStatus(copy));
    }),
  );
}

async function syncTaints(deps: Deps, node: DeepReadonly<Node>, now: number): Promise<DeepReadonly<Node>> {
  const t = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const next = reconcileConditionTaints(node.spec?.taints ?? [], readyStatus(node), t);
  if (!next) return node;
  const copy = mutableCopy(node);
  copy.spec = { ...(copy.spec ?? {}), taints: next.length > 0 ? next : undefined };
  return deps.nodeClient.update(copy);
}

/** Deletes pods whose toleration ran out; returns when the next one will (Infinity: none). */
async function evictPods(deps: Deps, node: DeepReadonly<Node>, now: number): Promise<number> {
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (taints.length === 0) return Infinity;
  let next = Infinity;
  const due: DeepReadonly<Pod>[] = [];
  for (const pod of deps.pods.byIndex(NODE_NAME_INDEX, node.metadata.name ?? '')) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = evictionTime(pod.spec?.tolerations ?? [], taints, deps.defaultTolerationSeconds, now);
    if (at <= now) due.push(pod);
    else next = Math.min(next, at);
  }
  await Promise.all(
    due.map(async (pod) => {
      deps.recorder.event(pod, EVENT_NORMAL, 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
      await ignoreNotFound(deps.podClient.delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } }));
    }),
  );
  return next;
}
