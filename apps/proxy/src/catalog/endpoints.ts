// Which backends serve one port of a Service, read from its EndpointSlices (pure; table-tested).
//
// Contract, as kube-proxy reads slices:
// - Only IPv4 slices count (kite clusters are single-stack IPv4); FQDN and IPv6 slices are ignored.
// - The slice's port whose name equals the Service port's name ('' when unnamed) gives the target
//   port number for that slice's endpoints; a slice without such a port contributes nothing.
//   Different slices may resolve a named targetPort to different numbers.
// - An endpoint is used only when it is ready: `conditions.ready` true, or absent (the API says an
//   absent condition means "unknown", which Kubernetes treats as ready). Terminating endpoints are
//   published with ready=false, so they drop out here.
// - The first address of an endpoint is the one used (the others are equivalent by definition).
// - The endpoint's pod is the name in its targetRef (kind Pod), '' without one; the per-pod
//   request counter (metrics.ts) is labelled with it.
// - Addresses outside 127.0.0.0/8 are refused (see net.ts); duplicates across slices collapse.
// - The result is sorted by address so that every proxy, and every rebuild, sees the same order.
import type { EndpointSlice } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { hostPort, isLoopbackIPv4 } from '../net.js';

export interface Backend {
  ip: string;
  port: number;
  /** `ip:port`; identifies the backend for affinity and retries. */
  key: string;
  /** The pod behind the address (the endpoint's targetRef), '' when the slice names none. */
  pod: string;
}

export interface BackendSet {
  ready: Backend[];
  /** Addresses that were ready but refused because they are not loopback. */
  refused: string[];
}

type Slice = DeepReadonly<EndpointSlice>;
type Endpoint = Slice['endpoints'][number];

/** The pod an endpoint names: a targetRef of kind Pod (or of no kind, as some writers leave it). */
function podOf(ep: Endpoint): string {
  const ref = ep.targetRef;
  return ref && (ref.kind === undefined || ref.kind === 'Pod') ? (ref.name ?? '') : '';
}

function slicePort(slice: Slice, portName: string): number | undefined {
  const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName);
  return port?.port ?? undefined;
}

export function readyBackends(slices: readonly Slice[], portName: string): BackendSet {
  const byKey = new Map<string, Backend>();
  const refused: string[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const port = slicePort(slice, portName);
    if (port === undefined) continue;
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0];
      if (ip === undefined || ep.conditions?.ready === false) continue;
      if (!isLoopbackIPv4(ip)) {
        refused.push(ip);
        continue;
      }
      const key = hostPort(ip, port);
      byKey.set(key, { ip, port, key, pod: podOf(ep) });
    }
  }
  const ready = [...byKey.values()].sort((a, b) => compareAddr(a.key, b.key));
  return { ready, refused };
}

/** Orders `a.b.c.d:port` (or a bare address) numerically octet by octet, then by port. */
export function compareAddr(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
