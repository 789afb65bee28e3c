// Columns of the cluster-level kinds, as `kubectl get` prints them for Kubernetes:
//   Node          NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME
//   Namespace     NAME STATUS AGE
//   Event         LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME
//   Lease         NAME HOLDER AGE
//   RuntimeClass  NAME HANDLER AGE
import type { Event, Lease, Namespace, Node, RuntimeClass } from '@kite/api-types';
import { NONE, UNKNOWN, ageColumn, kindColumns, nameColumn, orNone, since, type Column } from './format.js';

/** Node labels that name its roles: `node-role.kubernetes.io/ROLE` (any value), `kubernetes.io/role=ROLE`. */
const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** STATUS: Ready or NotReady from the Ready condition, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** ROLES: the sorted roles from the node's labels, or `<none>`. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX) && key.length > ROLE_LABEL_PREFIX.length) roles.add(key.slice(ROLE_LABEL_PREFIX.length));
    else if (key === ROLE_LABEL && value !== '') roles.add(value);
  }
  return roles.size === 0 ? NONE : [...roles].sort().join(',');
}

function nodeAddress(node: Node, type: string): string {
  return orNone(node.status?.addresses?.find((a) => a.type === type)?.address);
}

export function nodeColumns(): Column[] {
  const info = (o: Node) => o.status?.nodeInfo;
  const columns: Array<Column<Node>> = [
    nameColumn,
    { name: 'Status', description: 'The status of the node.', value: nodeStatus },
    { name: 'Roles', description: 'The roles of the node.', value: nodeRoles },
    ageColumn,
    { name: 'Version', description: 'Kubelet version reported by the node.', value: (o) => orNone(info(o)?.kubeletVersion, '') },
    { name: 'Internal-IP', priority: 1, description: 'List of internal IPs.', value: (o) => nodeAddress(o, 'InternalIP') },
    { name: 'External-IP', priority: 1, description: 'List of external IPs.', value: (o) => nodeAddress(o, 'ExternalIP') },
    { name: 'OS-Image', priority: 1, description: 'OS image reported by the node.', value: (o) => orNone(info(o)?.osImage, UNKNOWN) },
    { name: 'Kernel-Version', priority: 1, description: 'Kernel version reported by the node.', value: (o) => orNone(info(o)?.kernelVersion, UNKNOWN) },
    { name: 'Container-Runtime', priority: 1, description: 'Container runtime reported by the node.', value: (o) => orNone(info(o)?.containerRuntimeVersion, UNKNOWN) },
  ];
  return kindColumns(columns);
}

export function namespaceColumns(): Column[] {
  const columns: Array<Column<Namespace>> = [
    nameColumn,
    { name: 'Status', description: 'The status of the namespace.', value: (o) => o.status?.phase ?? 'Active' },
    ageColumn,
  ];
  return kindColumns(columns);
}

/** When an event was last seen: its series, else lastTimestamp, else eventTime. */
function eventLastSeen(e: Event): string {
  return since(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime);
}

/** SOURCE: `component, host`; events from the events.k8s.io API name their reporting controller. */
export function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export function eventColumns(): Column[] {
  const columns: Array<Column<Event>> = [
    { name: 'Last Seen', description: 'Time since the event was last seen.', value: eventLastSeen },
    { name: 'Type', description: 'Normal or Warning.', value: (o) => o.type ?? '' },
    { name: 'Reason', description: 'Why the event happened, in CamelCase.', value: (o) => o.reason ?? '' },
    { name: 'Object', description: 'The object the event is about.', value: (o) => `${o.involvedObject.kind?.toLowerCase() ?? ''}/${o.involvedObject.name ?? ''}` },
    { name: 'Subobject', priority: 1, description: 'The part of the object, e.g. a container.', value: (o) => o.involvedObject.fieldPath ?? '' },
    { name: 'Source', priority: 1, description: 'The component reporting the event.', value: eventSource },
    { name: 'Message', description: 'What happened.', value: (o) => o.message ?? '' },
    { name: 'First Seen', priority: 1, description: 'Time since the event was first seen.', value: (o) => since(o.firstTimestamp ?? o.eventTime) },
    { name: 'Count', priority: 1, type: 'integer', description: 'How often the event happened.', value: (o) => o.series?.count ?? o.count ?? 1 },
    { name: 'Name', priority: 1, format: 'name', description: 'Name of the event.', value: (o) => o.metadata.name ?? '' },
  ];
  return kindColumns(columns);
}

export function leaseColumns(): Column[] {
  const columns: Array<Column<Lease>> = [
    nameColumn,
    { name: 'Holder', description: 'The holder of the lease.', value: (o) => o.spec?.holderIdentity ?? '' },
    ageColumn,
  ];
  return kindColumns(columns);
}

export function runtimeClassColumns(): Column[] {
  const columns: Array<Column<RuntimeClass>> = [
    nameColumn,
    { name: 'Handler', description: 'The runtime handler on the node.', value: (o) => o.handler },
    ageColumn,
  ];
  return kindColumns(columns);
}
