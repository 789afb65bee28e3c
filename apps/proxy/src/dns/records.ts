// What the cluster DNS answers for one question (pure; table-tested against a fake lookup).
//
// - A Service with a ClusterIP: its IPv4 cluster IPs, for A queries.
// - A headless Service (`clusterIP: None`): the ready endpoint IPs of its slices, for A queries;
//   none ready → an empty answer (the name exists, it just has no address now).
// - An ExternalName Service: a CNAME to the external name, whatever the query type.
// - A Service name asked with another type (AAAA, TXT, ...): an empty answer (NODATA).
// - Every other name: NXDOMAIN. This server is authoritative for Services only and never recurses.
import { isIPv4 } from 'node:net';
import { CLUSTER_IP_NONE, type EndpointSlice, type Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { readyAddresses } from '../catalog/endpoints.js';
import { parseServiceName } from './names.js';

/** Seconds a resolver may cache an answer (CoreDNS' kubernetes plugin default). */
export const DNS_TTL_SECONDS = 5;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
export const QTYPE = { A: 1, CNAME: 5 } as const;

/** The read side of the catalog DNS needs. */
export interface ServiceLookup {
  service(key: string): DeepReadonly<Service> | undefined;
  slicesOf(serviceKey: string): DeepReadonly<EndpointSlice>[];
}

export interface DnsRecord {
  name: string;
  type: number;
  /** A: the address. */
  address?: string;
  /** CNAME: the target name. */
  domain?: string;
}

export interface DnsAnswer {
  rcode: number;
  records: DnsRecord[];
}

function addresses(svc: DeepReadonly<Service>, lookup: ServiceLookup, key: string): string[] {
  const spec = svc.spec ?? {};
  if (spec.clusterIP === CLUSTER_IP_NONE) return readyAddresses(lookup.slicesOf(key));
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => isIPv4(ip));
}

export function answerQuestion(lookup: ServiceLookup, qname: string, qtype: number, clusterDomain: string): DnsAnswer {
  const parsed = parseServiceName(qname, clusterDomain);
  const key = parsed ? `${parsed.namespace}/${parsed.service}` : undefined;
  const svc = key ? lookup.service(key) : undefined;
  if (!svc || !key) return { rcode: RCODE.NXDOMAIN, records: [] };
  if (svc.spec?.type === 'ExternalName') {
    return { rcode: RCODE.NOERROR, records: svc.spec.externalName ? [{ name: qname, type: QTYPE.CNAME, domain: svc.spec.externalName }] : [] };
  }
  if (qtype !== QTYPE.A) return { rcode: RCODE.NOERROR, records: [] };
  return { rcode: RCODE.NOERROR, records: addresses(svc, lookup, key).map((address) => ({ name: qname, type: QTYPE.A, address })) };
}
