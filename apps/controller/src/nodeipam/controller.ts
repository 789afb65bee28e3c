// Node IPAM: gives every Node a spec.podCIDR (and podCIDRs) from the cluster CIDR, from which its
// kubelet assigns pod IPs (BRIEF §5: all on loopback, 127.64.0.0/10 by default).
//
//   Node added or changed → its name; Node deleted → its subnet is released.
//   sync(name) → already has a podCIDR: nothing (the informer's add handler marked it used)
//             → allocate the lowest free subnet and merge-patch it onto the node (pinned to the
//               node's resourceVersion; on any failure the subnet is released and the sync
//               retried).
// Every existing node's subnet is marked used before the first allocation: the runner starts
// workers only after the node cache has synced, and every cached node passed the add handler.
import { NodeResource, type Node } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { EVENT_WARNING } from '../framework/events.js';
import { ControllerRunner } from '../framework/runner.js';
import { CidrSet } from './cidr.js';

export const NODE_IPAM_CONTROLLER = 'nodeipam';
const WORKERS = 1;
export const REASON_CIDR_NOT_AVAILABLE = 'CIDRNotAvailable';

export class NodeIpamController implements Controller {
  readonly name = NODE_IPAM_CONTROLLER;
  private readonly runner: ControllerRunner;
  private readonly cidrs: CidrSet;

  constructor(ctx: ControllerContext, opts: { clusterCIDR: string; nodeCIDRMaskSize: number }) {
    this.cidrs = new CidrSet(opts.clusterCIDR, opts.nodeCIDRMaskSize);
    const informer = ctx.informers.informer(NodeResource);
    const nodes = ctx.client.resource(NodeResource);
    this.runner = new ControllerRunner({
      name: this.name,
      workers: WORKERS,
      sync: async (name) => {
        const node = informer.store.get(name);
        if (!node || node.spec?.podCIDR) return;
        const cidr = this.cidrs.allocate();
        if (!cidr) {
          ctx.recorder.event(node, EVENT_WARNING, REASON_CIDR_NOT_AVAILABLE, `Node ${name} status is now: CIDRNotAvailable`);
          throw new Error(`no pod CIDR left in ${opts.clusterCIDR} for node ${name}`);
        }
        try {
          await nodes.patch(name, { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { podCIDR: cidr, podCIDRs: [cidr] } }, { type: 'merge' });
        } catch (err) {
          this.cidrs.release(cidr);
          throw err;
        }
      },
      hasSynced: () => informer.hasSynced(),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const seen = (node: DeepReadonly<Node>) => {
      for (const c of node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) this.cidrs.occupy(c);
      if (!node.spec?.podCIDR && node.metadata.name) this.runner.enqueue(node.metadata.name);
    };
    informer
      .on('add', seen)
      .on('update', (_o, n) => seen(n))
      .on('delete', (n) => {
        for (const c of n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : [])) this.cidrs.release(c);
      });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}
