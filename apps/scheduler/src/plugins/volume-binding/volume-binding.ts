// VolumeBinding: pods go where their PersistentVolumeClaims can be reached, and claims of
// WaitForFirstConsumer classes get their volume where the pod goes (kube-scheduler's plugin of
// the same name, without CSI capacity and volume limits).
//
//   PreFilter  sorts the pod's claims (claims.ts); a missing or deleting claim, a missing class or
//              an unbound Immediate claim rejects the pod on every node (unresolvable until a
//              claim, volume or class event). Pods without claims skip the plugin.
//   Filter     bound claims: the volume must exist and its node affinity admit the node; delayed
//              claims: an Available static volume reachable from the node, or a class whose
//              provisioner can make one there. The per-node decision goes into the cycle state.
//   Reserve    promises the chosen static volumes to this pod, so the next pods do not pick them.
//   PreBind    writes the decision (prebind.ts: claimRef on static volumes, selected-node on claims
//              to provision) and waits until every claim is bound, or fails after the bind timeout.
//   Unreserve  releases the promised volumes.
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, Handle, PreBindPlugin, PreFilterPlugin, ReservePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import type { PvcObj, PvObj, VolumeAccess, VolumeLister } from '../../framework/volumes.js';
import { canProvision, claimNames, findMatchingVolume, podClaims, REASON_BIND_CONFLICT, REASON_NODE_CONFLICT, REASON_PV_NOT_EXIST, volumeReachable, type NodeView, type PodClaims } from './claims.js';
import { bindPodVolumes } from './prebind.js';

export const NAME = 'VolumeBinding';

const NODE_CONFLICT = unresolvable(REASON_NODE_CONFLICT);
const BIND_CONFLICT = unresolvable(REASON_BIND_CONFLICT);
const PV_NOT_EXIST = unresolvable(REASON_PV_NOT_EXIST);

/** What the chosen node needs for the pod's delayed claims. */
export interface NodeDecision {
  /** The node's name and labels when it was chosen, to check the volumes bound for it. */
  node: NodeView;
  /** Static volumes that will take a claim. */
  staticBindings: Array<{ claim: PvcObj; volume: PvObj }>;
  /** Claims the class's provisioner will make a volume for on this node. */
  provision: PvcObj[];
}

interface VolumeState {
  claims: PodClaims;
  decisions: Map<string, NodeDecision>;
}

const stateKey = new StateKey<VolumeState>(`${NAME}/state`);

const EMPTY_LISTER: VolumeLister = { claim: () => undefined, volume: () => undefined, volumes: () => [], storageClass: () => undefined };

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = NAME;
  /** Static volumes promised to pods between Reserve and binding: volume name → pod key. */
  private readonly promised = new Map<string, string>();

  constructor(private readonly access: VolumeAccess | undefined) {}

  private get lister(): VolumeLister {
    return this.access ?? EMPTY_LISTER;
  }

  preFilter(state: CycleState, pod: PodInfo): Status {
    if (claimNames(pod.pod).length === 0) return SKIP;
    const claims = podClaims(pod.pod, this.lister);
    if (typeof claims === 'string') return unresolvable(claims);
    state.write(stateKey, { claims, decisions: new Map() });
    return SUCCESS;
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const vs = state.read(stateKey);
    if (!vs) return SUCCESS;
    for (const { volume } of vs.claims.bound) {
      if (!volume) return PV_NOT_EXIST;
      if (!volumeReachable(volume, node)) return NODE_CONFLICT;
    }
    if (vs.claims.delayed.length === 0) return SUCCESS;
    const decision = this.decide(vs.claims, pod.key, node);
    if (!decision) return BIND_CONFLICT;
    vs.decisions.set(node.name, decision);
    return SUCCESS;
  }

  /** Per delayed claim: a static volume (smallest fit, none twice), else provisioning, else none. */
  private decide(claims: PodClaims, podKey: string, node: NodeInfo): NodeDecision | undefined {
    const taken = new Set<string>();
    for (const [pv, owner] of this.promised) if (owner !== podKey) taken.add(pv);
    const volumes = this.lister.volumes();
    const decision: NodeDecision = { node: { name: node.name, labels: node.labels }, staticBindings: [], provision: [] };
    for (const { claim, storageClass } of claims.delayed) {
      const volume = findMatchingVolume(claim, volumes, node, taken);
      if (volume) {
        taken.add(volume.metadata.name ?? '');
        decision.staticBindings.push({ claim, volume });
      } else if (canProvision(storageClass, node)) decision.provision.push(claim);
      else return undefined;
    }
    return decision;
  }

  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    const decision = state.read(stateKey)?.decisions.get(nodeName);
    for (const { volume } of decision?.staticBindings ?? []) this.promised.set(volume.metadata.name ?? '', pod.key);
    return SUCCESS;
  }

  unreserve(_state: CycleState, pod: PodInfo): void {
    for (const [pv, owner] of this.promised) if (owner === pod.key) this.promised.delete(pv);
  }

  async preBind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status> {
    const decision = state.read(stateKey)?.decisions.get(nodeName);
    if (!decision || !this.access) return SUCCESS;
    const status = await bindPodVolumes({ access: this.access, decision, signal });
    // Bound or failed, the promise is over: bound volumes leave the Available pool by themselves.
    this.unreserve(state, pod);
    return status;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.PvcChange, ClusterEvent.PvChange, ClusterEvent.StorageClassChange, ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newVolumeBinding = (handle: Handle): VolumeBinding => new VolumeBinding(handle.volumes);
