// What a DNS name asks for (pure; table-tested). Three shapes, as CoreDNS' kubernetes plugin
// reads them, from the right:
//   SVC.NS                  a Service
//   ENDPOINT.SVC.NS         one endpoint of a headless Service (its hostname, or its dashed IP)
//   _PORT._PROTO.SVC.NS     a named port of a Service (SRV)
// each followed by `.svc.<cluster domain>` (the fully qualified name, Kubernetes' DNS spec), by
// `.svc` alone, or by nothing (the short forms a pod's search path would expand). Case-insensitive,
// with or without the trailing dot. Every label must be a DNS-1123 label, which Service,
// namespace and hostname names are; anything else names nothing here.
//
// Why readings are tried in order: without the cluster domain a name is ambiguous. `a.b.svc` is
// Service a in namespace b, or endpoint a of Service b in a namespace called `svc`. The reading
// with `.svc` stripped is tried first, so the Service keeps the meaning these short names always
// had; the other reading is used only when the first one is no valid name (`web.svc`,
// `_http._tcp.web.svc`).
import { checkDns1123Label } from '@kite/api-types';

interface Target {
  service: string;
  namespace: string;
}
export type DnsName = (Target & { kind: 'service' }) | (Target & { kind: 'endpoint'; endpoint: string }) | (Target & { kind: 'port'; port: string; protocol: string });

/** The label Kubernetes puts between a namespace and the cluster domain. */
const SERVICE_LABEL = 'svc';
/** The protocols a Service port may have, as SRV's `_proto` label spells them. */
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export function parseName(qname: string, clusterDomain: string): DnsName | undefined {
  const labels = qname.toLowerCase().replace(/\.$/, '').split('.');
  const zone = clusterDomain.toLowerCase().split('.');
  // Inside the cluster domain only `….svc.<domain>` names anything, and it is never ambiguous.
  if (endsWith(labels, zone)) {
    const rest = labels.slice(0, -zone.length);
    return rest.at(-1) === SERVICE_LABEL ? parseLabels(rest.slice(0, -1)) : undefined;
  }
  if (labels.at(-1) === SERVICE_LABEL) return parseLabels(labels.slice(0, -1)) ?? parseLabels(labels);
  return parseLabels(labels);
}

function endsWith(labels: string[], suffix: string[]): boolean {
  return labels.length >= suffix.length && suffix.every((l, i) => labels[labels.length - suffix.length + i] === l);
}

/** `labels` without any suffix: [SVC, NS], [ENDPOINT, SVC, NS] or [_PORT, _PROTO, SVC, NS]. */
function parseLabels(labels: string[]): DnsName | undefined {
  const [service, namespace] = labels.slice(-2);
  if (labels.length < 2 || !isLabel(service) || !isLabel(namespace)) return undefined;
  const target = { service, namespace };
  if (labels.length === 2) return { kind: 'service', ...target };
  if (labels.length === 3) return isLabel(labels[0]) ? { kind: 'endpoint', endpoint: labels[0], ...target } : undefined;
  const port = underscored(labels[0]);
  const protocol = underscored(labels[1]);
  if (labels.length !== 4 || !isLabel(port) || protocol === undefined || !PROTOCOLS.has(protocol)) return undefined;
  return { kind: 'port', port, protocol, ...target };
}

function isLabel(label: string | undefined): label is string {
  return label !== undefined && checkDns1123Label(label).length === 0;
}

/** `_x` → `x`; undefined for a label without the leading underscore SRV names use (RFC 2782). */
function underscored(label: string | undefined): string | undefined {
  return label?.startsWith('_') ? label.slice(1) : undefined;
}
