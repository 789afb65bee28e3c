// Which endpoints of a headless Service DNS publishes, and under which name (pure; tested through
// records.ts' tables).
//
// Contract, as CoreDNS' kubernetes plugin reads EndpointSlices:
// - IPv4 slices only (kite clusters are single-stack IPv4); an endpoint's first address.
// - Ready endpoints (`conditions.ready` true or absent), or every endpoint when the Service has
//   `publishNotReadyAddresses`. kite's endpointslice controller already marks such endpoints
//   ready; DNS checks the flag too so that slices written by anyone else read the same.
// - An endpoint's label is its hostname (the controller copies pod.spec.hostname), else its IP
//   with dashes (`10-0-0-1`), as CoreDNS' endpointHostname: an endpoint with a hostname is not
//   reachable by its dashed IP.
// - No loopback filter, unlike the proxy: DNS only names addresses, it sends no traffic.
// - Sorted by address, so answers are stable. The same address in two slices stays twice: each
//   copy carries its own slice's ports; callers collapse what they answer.
import type { EndpointSlice } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { compareAddr } from '../catalog/endpoints.js';

type Slice = DeepReadonly<EndpointSlice>;
export type SlicePort = NonNullable<Slice['ports']>[number];

export interface DnsEndpoint {
  ip: string;
  /** The first label of the endpoint's own name: LABEL.SVC.NS.svc.<domain>. */
  label: string;
  /** The ports of the slice the endpoint is in. */
  ports: readonly SlicePort[];
}

export function publishedEndpoints(slices: readonly Slice[], publishNotReady: boolean): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0];
      if (ip === undefined || (ep.conditions?.ready === false && !publishNotReady)) continue;
      out.push({ ip, label: ep.hostname || ip.replaceAll('.', '-'), ports: slice.ports ?? [] });
    }
  }
  return out.sort((a, b) => compareAddr(a.ip, b.ip));
}
