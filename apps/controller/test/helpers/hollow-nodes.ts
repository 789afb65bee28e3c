// HollowNodes: fake kubelets for controller tests and benchmarks, in the manner of Kubernetes'
// kubemark hollow nodes. No container runs; the API traffic is what a kubelet would send.
//
// What each hollow node does, through the real apiserver:
// - registers its Node (capacity, InternalIP on loopback, Ready=True) and renews its Lease in
//   kube-node-lease every `heartbeatMs` (a test can stop and resume one node's heartbeat);
// - binds pending pods round-robin to live nodes (unless a real scheduler does it:
//   `bind: false`);
// - marks pods bound to it Running and Ready, with a pod IP from the node's spec.podCIDR (or a
//   /24 of its own when no IPAM controller runs), after `readyDelayMs`;
// - finishes graceful deletions (DELETE with gracePeriodSeconds=0 once deletionTimestamp is set),
//   as a kubelet does after stopping the containers;
// - after its heartbeat resumes, posts Ready=True again if the node lifecycle controller had set
//   it to Unknown.
// Work is keyed by pod and processed by a deduplicating WorkQueue, so a burst of 1,000 pods costs
// one request per pod per step. `requests` counts every request sent (informer list/watch aside).
import { LeaseResource, NODE_LEASE_NAMESPACE, NodeResource, PodResource, type Lease, type Node, type Pod } from '@kite/api-types';
import { isConflict, isNotFound } from '@kite/apimachinery';
import { Informer, KubeClient, microTime, mutableCopy, objectKey, WorkQueue, type DeepReadonly, type Connection } from '@kite/client';

/** Default heartbeat: the kubelet's default is 10 s; tests shorten it. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** Lease duration a hollow kubelet writes (the kubelet's default is 40 s). */
const DEFAULT_LEASE_DURATION_SECONDS = 40;
/** What every hollow node advertises: plenty, so placement is never limited by capacity. */
const HOLLOW_CAPACITY = { cpu: '64', memory: '256Gi', pods: '250' };
/** Concurrent requests the pod workers send. */
const POD_WORKERS = 32;
/** Host numbers 1..254 of each node's /24. */
const MAX_HOST = 254;
/** Hollow nodes run anything: they advertise every runtime the scheduler knows (runtime.kite.dev/NAME). */
const RUNTIME_LABELS = { 'runtime.kite.dev/wasm': 'true', 'runtime.kite.dev/docker': 'true', 'runtime.kite.dev/hollow': 'true' };
/** First /24 used when a node has no podCIDR: 127.200.0.0/24, 127.200.1.0/24, … */
const FALLBACK_CIDR_BASE = [127, 200];

export interface HollowNodesOptions {
  /** Server and credentials (the test admin's: hollow nodes act for many nodes at once). */
  apiserver: Connection;
  count: number;
  /** Node names are PREFIX-0, PREFIX-1, … */
  prefix?: string;
  heartbeatMs?: number;
  /** Lease duration written into each node Lease. */
  leaseDurationSeconds?: number;
  /** Bind pending pods round-robin; false when a real scheduler runs. Default true. */
  bind?: boolean;
  /** Delay between seeing a pod bound and reporting it Ready. */
  readyDelayMs?: number;
  /** Whether a running pod reports Ready (default: always), as its readiness probe would. */
  isReady?: (pod: DeepReadonly<Pod>) => boolean;
  /**
   * Pods that run to completion (restartPolicy Never or OnFailure, as Job pods) report Succeeded
   * (exit code 0, reason Completed) this long after Running. Default: never, they keep running.
   */
  completeAfterMs?: number;
}

interface HollowNode {
  name: string;
  ip: string;
  alive: boolean;
  usedHosts: Map<string, number>;
  timer?: NodeJS.Timeout;
}

export class HollowNodes {
  readonly client: KubeClient;
  readonly nodes: HollowNode[];
  /** Requests sent by the hollow nodes. */
  requests = 0;
  private readonly opts: Required<HollowNodesOptions>;
  private readonly pods: Informer<Pod>;
  private readonly nodeInformer: Informer<Node>;
  private readonly queue = new WorkQueue<string>();
  private readonly unready = new Set<string>();
  private workers: Promise<void>[] = [];
  private next = 0;

  constructor(opts: HollowNodesOptions) {
    this.opts = { prefix: 'hollow', heartbeatMs: DEFAULT_HEARTBEAT_MS, leaseDurationSeconds: DEFAULT_LEASE_DURATION_SECONDS, bind: true, readyDelayMs: 0, isReady: () => true, completeAfterMs: Number.POSITIVE_INFINITY, ...opts };
    this.client = new KubeClient({ ...opts.apiserver, userAgent: 'hollow-node' });
    this.nodes = Array.from({ length: opts.count }, (_, i) => ({
      name: `${this.opts.prefix}-${i}`,
      ip: `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      alive: true,
      usedHosts: new Map(),
    }));
    this.pods = new Informer<Pod>({ client: this.client.resource(PodResource) });
    this.nodeInformer = new Informer<Node>({ client: this.client.resource(NodeResource) });
    const enqueue = (p: DeepReadonly<Pod>) => this.queue.add(objectKey(p));
    this.pods.on('add', enqueue).on('update', (_o, p) => enqueue(p)).on('delete', (p) => this.released(p));
  }

  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.register(n)));
    await Promise.all([this.pods.start(), this.nodeInformer.start()]);
    for (const n of this.nodes) this.scheduleHeartbeat(n);
    this.workers = Array.from({ length: POD_WORKERS }, () => this.work());
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) clearTimeout(n.timer);
    this.queue.shutDown();
    await Promise.all(this.workers);
    await Promise.all([this.pods.stop(), this.nodeInformer.stop()]);
  }

  /** Stops a node's heartbeat and its pod handling, as if its kubelet died. */
  stopHeartbeat(name: string): void {
    const n = this.node(name);
    n.alive = false;
    clearTimeout(n.timer);
  }

  resumeHeartbeat(name: string): void {
    const n = this.node(name);
    n.alive = true;
    this.scheduleHeartbeat(n);
    for (const p of this.pods.store.list()) if (p.spec?.nodeName === name) this.queue.add(objectKey(p));
  }

  /** Makes a pod report Ready=False (true: Ready again), as a failing readiness probe would. */
  setReady(namespace: string, name: string, ready: boolean): void {
    const key = `${namespace}/${name}`;
    if (ready) this.unready.delete(key);
    else this.unready.add(key);
    this.queue.add(key);
  }

  private node(name: string): HollowNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no hollow node ${name}`);
    return n;
  }

  private async register(n: HollowNode): Promise<void> {
    const now = new Date().toISOString();
    const capacity = HOLLOW_CAPACITY;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...RUNTIME_LABELS } },
      spec: {},
      status: {
        capacity,
        allocatable: capacity,
        addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      },
    };
    this.requests++;
    await this.client.resource(NodeResource).create(node).catch((err: unknown) => {
      if (!isConflict(err) && (err as { code?: number }).code !== 409) throw err;
    });
    await this.renewLease(n);
  }

  private scheduleHeartbeat(n: HollowNode): void {
    clearTimeout(n.timer);
    n.timer = setTimeout(() => {
      if (!n.alive) return;
      void this.renewLease(n)
        .then(() => this.reportReady(n))
        .catch(() => undefined)
        .finally(() => n.alive && this.scheduleHeartbeat(n));
    }, this.opts.heartbeatMs);
  }

  private async renewLease(n: HollowNode): Promise<void> {
    const leases = this.client.resource(LeaseResource);
    const now = microTime(Date.now());
    this.requests++;
    const current = await leases.get(n.name, { namespace: NODE_LEASE_NAMESPACE }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    const spec = { holderIdentity: n.name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime: now };
    this.requests++;
    if (!current) {
      const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: n.name, namespace: NODE_LEASE_NAMESPACE }, spec };
      await leases.create(lease);
    } else {
      await leases.update({ ...current, spec: { ...current.spec, ...spec } });
    }
  }

  /** A kubelet re-posts Ready=True when the API says otherwise (e.g. Unknown set by the controller). */
  private async reportReady(n: HollowNode): Promise<void> {
    const node = this.nodeInformer.store.get(n.name);
    const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
    if (!node || ready?.status === 'True') return;
    const copy = mutableCopy(node);
    const now = new Date().toISOString();
    const conditions = (copy.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
    conditions.push({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now });
    copy.status = { ...(copy.status ?? {}), conditions };
    this.requests++;
    await this.client.resource(NodeResource).updateStatus(copy);
  }

  private async work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.syncPod(key);
        this.queue.forget(key);
      } catch (err) {
        if (!isNotFound(err)) this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    if (!pod) return;
    const nodeName = pod.spec?.nodeName;
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    if (!nodeName) {
      if (pod.metadata.deletionTimestamp || !this.opts.bind) return;
      const target = this.pickNode();
      if (!target) return;
      this.requests++;
      await this.client.bindPod(ns, name, target.name).catch((err: unknown) => {
        if (!isConflict(err)) throw err;
      });
      return;
    }
    const node = this.nodes.find((n) => n.name === nodeName);
    if (!node?.alive) return;
    if (pod.metadata.deletionTimestamp) {
      this.requests++;
      await this.client.resource(PodResource).delete(name, { namespace: ns, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      return;
    }
    await this.reportStatus(pod, node);
  }

  /** Live, untainted nodes in turn. */
  private pickNode(): HollowNode | undefined {
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[(this.next + i) % this.nodes.length];
      const tainted = n && (this.nodeInformer.store.get(n.name)?.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
      if (n?.alive && !tainted) {
        this.next = (this.next + i + 1) % this.nodes.length;
        return n;
      }
    }
    return undefined;
  }

  private async reportStatus(pod: DeepReadonly<Pod>, node: HollowNode): Promise<void> {
    const key = objectKey(pod);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    if (pod.status?.phase === 'Running' && (pod.spec?.restartPolicy === 'Never' || pod.spec?.restartPolicy === 'OnFailure') && Number.isFinite(this.opts.completeAfterMs)) return this.complete(pod);
    const wantReady = !this.unready.has(key) && this.opts.isReady(pod);
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (pod.status?.phase === 'Running' && ready === wantReady && pod.status.podIP) return;
    if (this.opts.readyDelayMs > 0 && !pod.status?.podIP) await new Promise((r) => setTimeout(r, this.opts.readyDelayMs));
    const ip = pod.status?.podIP ?? this.allocateIP(node, key);
    const copy = mutableCopy(pod);
    copy.status = runningStatus(pod, node.ip, ip, wantReady);
    this.requests++;
    await this.client.resource(PodResource).updateStatus(copy);
  }

  /** A run-to-completion pod's containers exit 0: phase Succeeded, its IP free again. */
  private async complete(pod: DeepReadonly<Pod>): Promise<void> {
    if (this.opts.completeAfterMs > 0) await new Promise((r) => setTimeout(r, this.opts.completeAfterMs));
    const now = new Date().toISOString();
    const copy = mutableCopy(pod);
    const status = (copy.status ??= {});
    status.phase = 'Succeeded';
    status.conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: now } : c));
    status.containerStatuses = (status.containerStatuses ?? []).map((c) => ({ ...c, ready: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: c.state?.running?.startedAt, finishedAt: now } } }));
    this.requests++;
    await this.client.resource(PodResource).updateStatus(copy);
    this.released(pod);
  }

  private allocateIP(node: HollowNode, key: string): string {
    const cidr = this.nodeInformer.store.get(node.name)?.spec?.podCIDR;
    const index = this.nodes.indexOf(node);
    const base = cidr ? cidr.split('/')[0]?.split('.').slice(0, 3).join('.') : `${FALLBACK_CIDR_BASE.join('.')}.${index}`;
    const used = new Set(node.usedHosts.values());
    for (let h = 1; h <= MAX_HOST; h++) {
      if (!used.has(h)) {
        node.usedHosts.set(key, h);
        return `${base}.${h}`;
      }
    }
    throw new Error(`node ${node.name} has no free pod IP`);
  }

  private released(pod: DeepReadonly<Pod>): void {
    const node = this.nodes.find((n) => n.name === pod.spec?.nodeName);
    node?.usedHosts.delete(objectKey(pod));
    this.unready.delete(objectKey(pod));
  }
}

function runningStatus(pod: DeepReadonly<Pod>, hostIP: string, podIP: string, ready: boolean): Pod['status'] {
  const now = new Date().toISOString();
  const prev = pod.status?.conditions ?? [];
  const cond = (type: string, status: boolean) => {
    const s = status ? ('True' as const) : ('False' as const);
    const old = prev.find((c) => c.type === type);
    return { type, status: s, lastTransitionTime: old?.status === s ? old.lastTransitionTime : now };
  };
  return {
    phase: 'Running',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: pod.status?.startTime ?? now,
    conditions: [cond('PodScheduled', true), cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready)],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `hollow://${c.image ?? ''}`,
      ready,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: pod.status?.startTime ?? now } },
    })),
  };
}
