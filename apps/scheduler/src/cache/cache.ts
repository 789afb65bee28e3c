// SchedulerCache: the scheduler's own view of nodes and of the pods placed on them, including
// pods it has *assumed* onto a node but whose binding the watch has not yet confirmed.
//
// Why assume: binding is asynchronous (an HTTP round trip, then a watch event). Without the
// assumption, a burst of pods would all see the same free capacity and over-commit a node. The
// scheduler therefore adds a pod to its chosen node the moment it decides, binds in the
// background, and then either:
//   - sees the bound pod arrive from the watch → `addPod` confirms the assumption (and moves
//     it if another scheduler bound it elsewhere), or
//   - fails to bind → `forgetPod` takes it off the node again, and the pod is requeued.
//
// Contract:
// - Pods are keyed `namespace/name`. A pod is counted on at most one node at any time.
// - `nodeList()` holds the nodes that have a Node object, in a stable order (the order the
//   scheduler samples them in); nodes come and go without reordering the others.
// - Finished pods (Succeeded/Failed) hold no resources and are not counted.
// - JavaScript runs one scheduling cycle to completion without interleaving, so the cache is
//   its own snapshot: no copy per cycle is needed.
import type { Handle } from '../framework/interface.js';
import { NodeInfo } from '../framework/node-info.js';
import { podInfoFor, type PodInfo } from '../framework/pod-info.js';
import { podKey, type NodeObj, type PodObj, type ServiceObj } from '../framework/types.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  /** Placed by this scheduler, not yet seen bound in the watch. */
  assumed: boolean;
}

export interface CacheOptions {
  /** Services of a namespace; the cache does not watch them itself. */
  services?: (namespace: string) => readonly ServiceObj[];
}

const NO_SERVICES: readonly ServiceObj[] = [];
const NO_NODES: readonly NodeInfo[] = [];

export function isTerminal(pod: PodObj): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache implements Handle {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly order: NodeInfo[] = [];
  private readonly podStates = new Map<string, PodState>();
  /** Nodes hosting pods with required anti-affinity, kept as pods come and go (usually empty). */
  private readonly antiAffinityNodes = new Set<NodeInfo>();
  private readonly services: (namespace: string) => readonly ServiceObj[];

  constructor(opts: CacheOptions = {}) {
    this.services = opts.services ?? (() => NO_SERVICES);
  }

  // ---- Handle (what plugins read) ----

  nodeInfos(): readonly NodeInfo[] {
    return this.order;
  }

  nodesWithRequiredAntiAffinity(): readonly NodeInfo[] {
    if (this.antiAffinityNodes.size === 0) return NO_NODES;
    const out: NodeInfo[] = [];
    for (const n of this.antiAffinityNodes) if (n.node) out.push(n);
    return out;
  }

  servicesIn(namespace: string): readonly ServiceObj[] {
    return this.services(namespace);
  }

  // ---- nodes ----

  /** Nodes that can take pods (they have a Node object), in sampling order. */
  nodeList(): readonly NodeInfo[] {
    return this.order;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  upsertNode(node: NodeObj): NodeInfo {
    const name = node.metadata.name ?? '';
    const info = this.nodeInfoOrNew(name);
    if (!info.node) this.order.push(info);
    info.setNode(node);
    return info;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info?.node) return;
    info.setNode(undefined);
    const i = this.order.indexOf(info);
    if (i >= 0) this.order.splice(i, 1);
    // Pods still bound to a deleted node keep their accounting until they are deleted too.
    if (info.pods.size === 0) this.nodes.delete(name);
  }

  // ---- pods ----

  /** A pod seen in the watch: bound to `spec.nodeName` (confirms an assumption), or gone. */
  upsertPod(pod: PodObj): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    if (!nodeName || isTerminal(pod)) {
      // Unbound (still pending) pods are the queue's business; an assumed one keeps its place.
      if (nodeName || !this.podStates.get(key)?.assumed) this.removePod(key);
      return;
    }
    this.place(key, podInfoFor(pod), nodeName, false);
  }

  removePod(key: string): void {
    const state = this.podStates.get(key);
    if (!state) return;
    this.podStates.delete(key);
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    info.removePod(key);
    this.trackAntiAffinity(info);
    if (!info.node && info.pods.size === 0) this.nodes.delete(state.nodeName);
  }

  /** Counts `pod` on `nodeName` before the binding is confirmed. */
  assumePod(pod: PodInfo, nodeName: string): void {
    if (this.podStates.has(pod.key)) throw new Error(`pod ${pod.key} is already in the cache`);
    this.place(pod.key, pod, nodeName, true);
  }

  /** Undoes `assumePod` after a failed binding; a pod already confirmed by the watch stays. */
  forgetPod(key: string): void {
    if (this.podStates.get(key)?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** The node a pod is counted on (assumed or bound). */
  nodeOf(key: string): string | undefined {
    return this.podStates.get(key)?.nodeName;
  }

  podCount(): number {
    return this.podStates.size;
  }

  assumedCount(): number {
    let n = 0;
    for (const s of this.podStates.values()) if (s.assumed) n++;
    return n;
  }

  private place(key: string, info: PodInfo, nodeName: string, assumed: boolean): void {
    const prev = this.podStates.get(key);
    if (prev && prev.nodeName !== nodeName) this.removePod(key);
    this.podStates.set(key, { info, nodeName, assumed });
    const node = this.nodeInfoOrNew(nodeName);
    node.addPod(info);
    this.trackAntiAffinity(node);
  }

  private trackAntiAffinity(node: NodeInfo): void {
    if (node.podsWithRequiredAntiAffinity.size > 0) this.antiAffinityNodes.add(node);
    else this.antiAffinityNodes.delete(node);
  }

  private nodeInfoOrNew(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }
}
