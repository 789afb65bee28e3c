// Registers the Node (or takes over the existing object after a restart, keeping what the control
// plane set: podCIDR and taints), renews the node Lease as the heartbeat, and refreshes the Ready
// condition. Waits for a podCIDR when the controller manager assigns one.
import { LeaseResource, NodeResource, type Lease, type Node } from '@kite/api-types';
import { isAlreadyExists, isConflict, isNotFound } from '@kite/apimachinery';
import { retryOnConflict, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { RUNTIME_LABEL_PREFIX, type KubeletConfig } from '../config.js';
import { nodeObject, readyCondition } from './node-object.js';

/** How often the Ready condition's heartbeat time is refreshed in the Node status. */
const NODE_STATUS_REFRESH_MS = 60_000;
const LEASE_NAMESPACE = 'kube-node-lease';

/** A node's labels less its runtime labels, which a (re)registering kubelet sets afresh. */
function withoutRuntimeLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !k.startsWith(RUNTIME_LABEL_PREFIX)));
}

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const microNow = () => new Date().toISOString().replace('Z', '000Z');

export class NodeRegistrar {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly cfg: KubeletConfig,
    private readonly log: Logger,
  ) {}

  private get nodes() {
    return this.client.resource(NodeResource);
  }

  /** Creates or adopts the Node object and returns it as stored. */
  async register(): Promise<Node> {
    const desired = nodeObject(this.cfg, nowIso());
    try {
      const created = await this.nodes.create(desired);
      this.log.info({ node: this.cfg.nodeName }, 'registered node');
      return created;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    for (;;) {
      const current = await this.nodes.get(this.cfg.nodeName);
      const merged: Node = {
        ...current,
        metadata: { ...current.metadata, labels: { ...withoutRuntimeLabels(current.metadata.labels), ...desired.metadata.labels } },
        spec: { ...(current.spec ?? {}), ...(current.spec?.podCIDR ? {} : (desired.spec ?? {})) },
      };
      try {
        const updated = await this.nodes.update(merged);
        return await this.nodes.updateStatus({ ...updated, status: desired.status });
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }

  /** Resolves with the node's pod CIDR, waiting for the controller manager's IPAM if needed. */
  async podCIDR(signal: AbortSignal): Promise<string> {
    if (this.cfg.podCIDR) return this.cfg.podCIDR;
    while (!signal.aborted) {
      const node = await this.nodes.get(this.cfg.nodeName).catch(() => undefined);
      if (node?.spec?.podCIDR) return node.spec.podCIDR;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('stopped while waiting for a podCIDR');
  }

  async renewLease(): Promise<void> {
    const leases = this.client.resource(LeaseResource);
    const spec = { holderIdentity: this.cfg.nodeName, leaseDurationSeconds: this.cfg.leaseDurationSeconds, renewTime: microNow() };
    try {
      await retryOnConflict(async () => {
        const current = await leases.get(this.cfg.nodeName, { namespace: LEASE_NAMESPACE });
        await leases.update({ ...current, spec: { ...current.spec, ...spec } });
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.cfg.nodeName, namespace: LEASE_NAMESPACE }, spec };
      await leases.create(lease).catch((e: unknown) => {
        if (!isAlreadyExists(e)) throw e;
      });
    }
  }

  /** Posts Ready=True: the kubelet has its pod CIDR, runtimes and pods in hand. */
  async markReady(): Promise<void> {
    await this.refreshReady();
  }

  /**
   * Posts the Ready condition as the kubelet's PatchNodeStatus does: a strategic merge patch of
   * that one condition (conditions merge by type), with no resourceVersion, so it never conflicts
   * with whoever else writes the Node meanwhile (kubectl cordon, labels, the controller manager).
   */
  private async refreshReady(): Promise<void> {
    const node = await this.nodes.get(this.cfg.nodeName);
    const prev = node.status?.conditions?.find((c) => c.type === 'Ready');
    const ready = readyCondition(true, 'kubelet is posting ready status', nowIso());
    if (prev?.status === 'True' && prev.lastTransitionTime) ready.lastTransitionTime = prev.lastTransitionTime;
    await this.nodes.patch(this.cfg.nodeName, { status: { conditions: [ready] } }, { type: 'strategic', subresource: 'status' });
  }

  /** Starts the heartbeat loops; errors are logged and retried at the next tick. */
  startHeartbeat(): void {
    const tick = (fn: () => Promise<void>, what: string) => () => fn().catch((err: unknown) => this.log.warn({ err }, `${what} failed`));
    void tick(() => this.renewLease(), 'lease renewal')();
    this.timers.push(setInterval(tick(() => this.renewLease(), 'lease renewal'), this.cfg.leaseRenewSeconds * 1000));
    this.timers.push(setInterval(tick(() => this.refreshReady(), 'node status refresh'), NODE_STATUS_REFRESH_MS));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
