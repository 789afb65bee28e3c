// SRV answers for a Service's ports (pure; tested through records.ts' tables), as CoreDNS'
// kubernetes plugin builds them:
// - ClusterIP Service: one record per matching Service port, port = the Service port, target =
//   the Service's own name SVC.NS.svc.<domain>; its cluster IPs go in the additional section.
// - Headless Service: one record per published endpoint whose slice has the port, port = the
//   slice's port number (clients connect to the pod directly), target = the endpoint's name
//   LABEL.SVC.NS.svc.<domain>; the endpoint's address goes in the additional section.
// - Priority 0, and the weights share 100 evenly (CoreDNS: floor(100 / count), at least 1), so
//   clients pick every target alike.
// - `want` is one port (`_http._tcp`), or undefined for all of them: an SRV query for the bare
//   Service name lists every port, unnamed ones too, as CoreDNS does.
import type { Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { QTYPE, RCODE, type DnsAnswer, type DnsRecord } from './answer.js';
import type { DnsEndpoint } from './endpoints.js';

/** A port as an SRV name spells it: lowercase name and protocol (`http`, `tcp`). */
export interface PortWanted {
  name: string;
  protocol: string;
}

/** The Service a question is about, as records.ts resolved it. */
export interface ServiceView {
  /** The name asked, which every answer record carries. */
  qname: string;
  /** SVC.NS.svc.<cluster domain>. */
  fqdn: string;
  svc: DeepReadonly<Service>;
  headless: boolean;
  clusterIPs(): string[];
  endpoints(): DnsEndpoint[];
}

/** Whether a Service or slice port is the one `want` names (always, without `want`). */
export function matchesPort(port: { name?: string; protocol?: string }, want: PortWanted | undefined): boolean {
  return !want || ((port.name ?? '').toLowerCase() === want.name && (port.protocol ?? 'TCP').toLowerCase() === want.protocol);
}

interface Target {
  target: string;
  port: number;
  addresses: readonly string[];
}

function targets(view: ServiceView, want: PortWanted | undefined): Target[] {
  if (!view.headless) {
    const ports = (view.svc.spec?.ports ?? []).filter((p) => matchesPort(p, want));
    return ports.map((p) => ({ target: view.fqdn, port: p.port, addresses: view.clusterIPs() }));
  }
  const out: Target[] = [];
  for (const ep of view.endpoints()) {
    for (const p of ep.ports) if (p.port != null && matchesPort(p, want)) out.push({ target: `${ep.label}.${view.fqdn}`, port: p.port, addresses: [ep.ip] });
  }
  return out;
}

export function srvAnswer(view: ServiceView, want: PortWanted | undefined): DnsAnswer {
  // One target and port answer once: an endpoint in two slices, a port number both TCP and UDP.
  const byKey = new Map<string, Target>();
  for (const t of targets(view, want)) byKey.set(`${t.target}:${t.port}`, t);
  const weight = Math.max(1, Math.floor(100 / byKey.size));
  const records: DnsRecord[] = [];
  const additional = new Map<string, DnsRecord>();
  for (const { target, port, addresses } of byKey.values()) {
    records.push({ name: view.qname, type: QTYPE.SRV, priority: 0, weight, port, target });
    for (const address of addresses) additional.set(`${target} ${address}`, { name: target, type: QTYPE.A, address });
  }
  return { rcode: RCODE.NOERROR, records, additional: [...additional.values()] };
}
