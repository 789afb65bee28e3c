// When did we last hear from each node's kubelet?
//
// A kubelet proves it is alive by renewing its Lease in kube-node-lease (and, less often, by
// posting a new lastHeartbeatTime in its Ready condition). Timestamps written by the kubelet come
// from the kubelet's clock; comparing them with ours would turn clock skew into false alarms. So,
// as Kubernetes does, the tracker records *our* time whenever it sees either value change, and a
// node is overdue when that local "probe time" is older than the grace period.
// A node seen for the first time (or after a manager restart) gets a full grace period.
import type { Lease, Node } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';

interface Probe {
  renewTime?: string;
  heartbeat?: string;
  at: number;
}

export class HealthTracker {
  private readonly probes = new Map<string, Probe>();

  /** Records what the node and its lease say now; returns the local time we last heard from it. */
  observe(node: DeepReadonly<Node>, lease: DeepReadonly<Lease> | undefined, now: number): number {
    const name = node.metadata.name ?? '';
    const renewTime = lease?.spec?.renewTime;
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const prev = this.probes.get(name);
    if (!prev || prev.renewTime !== renewTime || prev.heartbeat !== heartbeat) {
      this.probes.set(name, { renewTime, heartbeat, at: now });
      return now;
    }
    return prev.at;
  }

  forget(name: string): void {
    this.probes.delete(name);
  }
}
