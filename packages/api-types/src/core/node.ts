// core/v1 Node: a machine (in kite, a kubelet with its own loopback IP) that runs pods. The kubelet
// registers it and reports capacity, conditions and addresses; its heartbeat is a Lease.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema, type StatusCause } from '../meta/v1.js';
import { ResourceList } from '../quantity.js';
import { AtomicList, KeyedList, List, OptBool, OptInt, OptString } from '../schema.js';
import { duplicate, invalid } from '../validation/causes.js';
import { validateCIDR, validateImmutable, validateQualifiedName, validateResourceList } from '../validation/fields.js';
import { checkLabelValue } from '../validation/names.js';
import { Taint } from './taint.js';

export const NodeSpec = Type.Object(
  {
    podCIDR: OptString('Pod IP range of the node; equals podCIDRs[0].'),
    podCIDRs: Type.Optional(List(Type.String(), { patchStrategy: 'merge', listType: 'set', description: 'Pod IP ranges, at most one per IP family.' })),
    providerID: OptString('ID of the node in its provider.'),
    unschedulable: OptBool('Keep new pods off the node (kubectl cordon).'),
    taints: Type.Optional(AtomicList(Taint, 'Taints that repel pods not tolerating them.')),
    externalID: OptString('Deprecated.'),
  },
  { description: 'How a node is set up.' },
);
export type NodeSpec = Static<typeof NodeSpec>;

export const NodeAddress = Type.Object({ type: Type.String({ description: 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.' }), address: Type.String() });
export type NodeAddress = Static<typeof NodeAddress>;

export const NodeSystemInfo = Type.Object({
  machineID: Type.String(),
  systemUUID: Type.String(),
  bootID: Type.String(),
  kernelVersion: Type.String(),
  osImage: Type.String(),
  containerRuntimeVersion: Type.String(),
  kubeletVersion: Type.String(),
  kubeProxyVersion: OptString(),
  operatingSystem: Type.String(),
  architecture: Type.String(),
});
export type NodeSystemInfo = Static<typeof NodeSystemInfo>;

export const NodeStatus = Type.Object(
  {
    capacity: Type.Optional(ResourceList),
    allocatable: Type.Optional(ResourceList),
    phase: OptString('Deprecated.'),
    conditions: Type.Optional(KeyedList(Condition, 'type', 'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.')),
    addresses: Type.Optional(KeyedList(NodeAddress, 'type', 'Addresses of the node.')),
    daemonEndpoints: Type.Optional(Type.Object({ kubeletEndpoint: Type.Optional(Type.Object({ Port: Type.Integer() })) })),
    nodeInfo: Type.Optional(NodeSystemInfo),
    images: Type.Optional(AtomicList(Type.Object({ names: Type.Optional(AtomicList(Type.String())), sizeBytes: OptInt() }))),
    volumesInUse: Type.Optional(AtomicList(Type.String())),
    volumesAttached: Type.Optional(AtomicList(Type.Object({ name: Type.String(), devicePath: Type.String() }))),
    runtimeHandlers: Type.Optional(AtomicList(Type.Object({ name: OptString(), features: Type.Optional(Type.Object({})) }))),
    features: Type.Optional(Type.Object({})),
    config: Type.Optional(Type.Object({})),
  },
  { description: 'What the kubelet observed about its node.' },
);
export type NodeStatus = Static<typeof NodeStatus>;

export const Node = kindSchema('v1', 'Node', NodeSpec, NodeStatus, 'A worker machine that runs pods.');
export type Node = Static<typeof Node>;

function validateTaints(taints: Static<typeof Taint>[] | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  const seen = new Set<string>();
  taints?.forEach((t, i) => {
    const f = `spec.taints[${i}]`;
    out.push(...validateQualifiedName(t.key, `${f}.key`));
    if (t.value) out.push(...checkLabelValue(t.value).map((e) => invalid(`${f}.value`, t.value, e)));
    // A taint is identified by key and effect; two with the same pair would be ambiguous.
    if (seen.has(`${t.key}/${t.effect}`)) out.push(duplicate(f, `${t.key}:${t.effect}`));
    seen.add(`${t.key}/${t.effect}`);
  });
  return out;
}

function validateNode(node: Node, old?: Node): StatusCause[] {
  const spec = node.spec ?? {};
  const out = validateTaints(spec.taints);
  spec.podCIDRs?.forEach((c, i) => out.push(...validateCIDR(c, `spec.podCIDRs[${i}]`)));
  if ((spec.podCIDRs?.length ?? 0) > 2) out.push(invalid('spec.podCIDRs', spec.podCIDRs, 'may specify no more than one CIDR for each IP family'));
  if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR) {
    out.push(invalid('spec.podCIDRs', spec.podCIDRs, 'the first CIDR must equal podCIDR'));
  }
  if (spec.podCIDR) out.push(...validateCIDR(spec.podCIDR, 'spec.podCIDR'));
  out.push(...validateResourceList(node.status?.capacity, 'status.capacity'), ...validateResourceList(node.status?.allocatable, 'status.allocatable'));
  // Pod CIDRs and the provider ID may be set once (by the controller or kubelet), then never change.
  if (old?.spec?.podCIDR) out.push(...validateImmutable(spec.podCIDR, old.spec.podCIDR, 'spec.podCIDR'));
  if (old?.spec?.podCIDRs?.length) out.push(...validateImmutable(spec.podCIDRs, old.spec.podCIDRs, 'spec.podCIDRs'));
  if (old?.spec?.providerID) out.push(...validateImmutable(spec.providerID, old.spec.providerID, 'spec.providerID'));
  return out;
}

export const NodeResource = defineResource<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  shortNames: ['no'],
  namespaced: false,
  schema: Node,
  status: true,
  defaults: (node) => {
    // Allocatable defaults to capacity: nothing reserved for system daemons.
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
  },
  validate: validateNode,
  fieldSelectors: { 'spec.unschedulable': (n) => String(n.spec?.unschedulable ?? false) },
});
