// What the cluster DNS answers for one question (pure; table-tested against a fake lookup).
// names.ts says which of three names is asked; each has its answer here, as CoreDNS' kubernetes
// plugin gives it:
//
// SVC.NS.svc.<domain>, a Service:
// - With a ClusterIP: its IPv4 cluster IPs, for A queries.
// - Headless (`clusterIP: None`): its published endpoint IPs (endpoints.ts: ready ones, or all
//   with publishNotReadyAddresses), for A queries; none → an empty answer (the name exists, it
//   just has no address now).
// - SRV queries: one record per port (srv.ts).
// - ExternalName: a CNAME to the external name, whatever the query type.
// ENDPOINT.SVC.NS.svc.<domain>, one pod of a headless Service (StatefulSet pods, by hostname):
// - The addresses of the published endpoints whose label (hostname, else dashed IP) is ENDPOINT,
//   for A queries. No such endpoint, or a Service that is not headless: NXDOMAIN.
// _PORT._PROTO.SVC.NS.svc.<domain>, a named port:
// - SRV queries: srv.ts. A port the Service does not declare, or an ExternalName Service: NXDOMAIN.
// Any other query type for a name that exists: an empty answer (NODATA). Every other name:
// NXDOMAIN. This server is authoritative for Services only and never recurses.
import { isIPv4 } from 'node:net';
import { CLUSTER_IP_NONE, type EndpointSlice, type Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { NODATA, NXDOMAIN, QTYPE, RCODE, type DnsAnswer } from './answer.js';
import { publishedEndpoints } from './endpoints.js';
import { parseName, type DnsName } from './names.js';
import { matchesPort, srvAnswer, type PortWanted, type ServiceView } from './srv.js';

export * from './answer.js';

/** The read side of the catalog DNS needs. */
export interface ServiceLookup {
  service(key: string): DeepReadonly<Service> | undefined;
  slicesOf(serviceKey: string): DeepReadonly<EndpointSlice>[];
}

export function answerQuestion(lookup: ServiceLookup, qname: string, qtype: number, clusterDomain: string): DnsAnswer {
  const name = parseName(qname, clusterDomain);
  const key = name ? `${name.namespace}/${name.service}` : '';
  const svc = name ? lookup.service(key) : undefined;
  if (!name || !svc) return NXDOMAIN;
  const view = serviceView(lookup, key, svc, qname, `${name.service}.${name.namespace}.svc.${clusterDomain}`);
  return answerFor(view, name, qtype);
}

function answerFor(view: ServiceView, name: DnsName, qtype: number): DnsAnswer {
  switch (name.kind) {
    case 'service':
      return serviceAnswer(view, qtype);
    case 'endpoint':
      return endpointAnswer(view, name.endpoint, qtype);
    case 'port':
      return portAnswer(view, { name: name.port, protocol: name.protocol }, qtype);
  }
}

function serviceView(lookup: ServiceLookup, key: string, svc: DeepReadonly<Service>, qname: string, fqdn: string): ServiceView {
  const spec = svc.spec ?? {};
  return {
    qname,
    fqdn,
    svc,
    headless: spec.clusterIP === CLUSTER_IP_NONE,
    clusterIPs: () => (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => isIPv4(ip)),
    endpoints: () => publishedEndpoints(lookup.slicesOf(key), spec.publishNotReadyAddresses === true),
  };
}

/** A records for `addresses`, deduplicated, under the asked name. */
function aAnswer(view: ServiceView, addresses: readonly string[]): DnsAnswer {
  return { rcode: RCODE.NOERROR, records: [...new Set(addresses)].map((address) => ({ name: view.qname, type: QTYPE.A, address })) };
}

function serviceAnswer(view: ServiceView, qtype: number): DnsAnswer {
  const spec = view.svc.spec;
  if (spec?.type === 'ExternalName') {
    return { rcode: RCODE.NOERROR, records: spec.externalName ? [{ name: view.qname, type: QTYPE.CNAME, domain: spec.externalName }] : [] };
  }
  if (qtype === QTYPE.SRV) return srvAnswer(view, undefined);
  if (qtype !== QTYPE.A) return NODATA;
  return aAnswer(view, view.headless ? view.endpoints().map((ep) => ep.ip) : view.clusterIPs());
}

function endpointAnswer(view: ServiceView, label: string, qtype: number): DnsAnswer {
  if (!view.headless) return NXDOMAIN;
  const addresses = view.endpoints().filter((ep) => ep.label === label).map((ep) => ep.ip);
  if (addresses.length === 0) return NXDOMAIN;
  return qtype === QTYPE.A ? aAnswer(view, addresses) : NODATA;
}

function portAnswer(view: ServiceView, want: PortWanted, qtype: number): DnsAnswer {
  const spec = view.svc.spec;
  if (spec?.type === 'ExternalName' || !(spec?.ports ?? []).some((p) => matchesPort(p, want))) return NXDOMAIN;
  return qtype === QTYPE.SRV ? srvAnswer(view, want) : NODATA;
}
