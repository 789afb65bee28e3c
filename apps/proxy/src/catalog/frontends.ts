// What one Service asks of the proxy on this node (pure; table-tested): the addresses to listen on
// and, for each, the ready backends and the session affinity.
//
// Contract:
// - Every TCP and UDP port of a Service with a ClusterIP gets a frontend on each of its cluster IPs
//   (`spec.clusterIPs`, else `spec.clusterIP`), unless `bindClusterIPs` is off on this node.
// - NodePort and LoadBalancer Services also get a frontend on `nodeIP:nodePort` for every port
//   that has one. (kube-proxy listens on every node address; a kite node has exactly one.)
// - Headless (`clusterIP: None`) and ExternalName Services get none: DNS serves them.
// - Each frontend carries its data path (l4/protocol-choice.ts): HTTP for ports that declare it,
//   raw TCP for other TCP ports, UDP for UDP ports. SCTP ports are skipped and said so in `skipped`.
// - A UDP frontend's key is `host:port/udp`, so a port number served over both TCP and UDP (DNS
//   on 53) gets two listeners; TCP frontends keep the plain `host:port`.
// - An address outside 127.0.0.0/8 is never bound; it is reported in `skipped` instead.
// - `sessionAffinity: ClientIP` carries its timeout (default 3 h) in milliseconds; otherwise 0.
import { CLUSTER_IP_NONE, DEFAULT_CLIENT_IP_TIMEOUT_SECONDS, type EndpointSlice, type Service } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import { choosePath, PortPaths, type PortPath } from '../l4/protocol-choice.js';
import { hostPort, isLoopbackIPv4 } from '../net.js';
import { readyBackends, type Backend } from './endpoints.js';

export const FrontendKinds = { ClusterIP: 'cluster-ip', NodePort: 'node-port' } as const;
export type FrontendKind = (typeof FrontendKinds)[keyof typeof FrontendKinds];

export interface FrontendSpec {
  /** `host:port` of the listener. */
  key: string;
  host: string;
  port: number;
  kind: FrontendKind;
  /** How the port is forwarded: HTTP, raw TCP or UDP. */
  path: PortPath;
  /** `namespace/name` of the Service. */
  service: string;
  /** The Service port's name ('' when unnamed). */
  portName: string;
  backends: Backend[];
  /** ClientIP affinity lifetime; 0 when the Service has no affinity. */
  affinityMs: number;
}

export interface FrontendOptions {
  nodeIP: string;
  bindClusterIPs: boolean;
}

export interface ServiceFrontends {
  frontends: FrontendSpec[];
  /** Why an address was not used, for the log. */
  skipped: string[];
}

const MS_PER_SECOND = 1000;
const NODE_PORT_TYPES: ReadonlySet<string> = new Set(['NodePort', 'LoadBalancer']);

type Svc = DeepReadonly<Service>;
type Slice = DeepReadonly<EndpointSlice>;

function clusterIPs(spec: NonNullable<Svc['spec']>): string[] {
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => ip !== '' && ip !== CLUSTER_IP_NONE);
}

function affinityMs(spec: NonNullable<Svc['spec']>): number {
  if (spec.sessionAffinity !== 'ClientIP') return 0;
  return (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_TIMEOUT_SECONDS) * MS_PER_SECOND;
}

/** The listener key of `host:port` on `path`: UDP keys end in `/udp`. */
export function listenerKey(host: string, port: number, path: PortPath): string {
  return path === PortPaths.Udp ? `${hostPort(host, port)}/udp` : hostPort(host, port);
}

export function frontendsFor(svc: Svc, slices: readonly Slice[], opts: FrontendOptions): ServiceFrontends {
  const spec = svc.spec;
  const out: ServiceFrontends = { frontends: [], skipped: [] };
  if (!spec || spec.type === 'ExternalName') return out;
  const service = objectKey(svc);
  const ips = opts.bindClusterIPs ? clusterIPs(spec) : [];
  const withNodePort = NODE_PORT_TYPES.has(spec.type ?? 'ClusterIP');
  const affinity = affinityMs(spec);
  for (const port of spec.ports ?? []) {
    const portName = port.name ?? '';
    const { path, reason } = choosePath(port);
    if (path === undefined) {
      out.skipped.push(`port ${portName || port.port} of ${service}: ${reason}`);
      continue;
    }
    const { ready, refused } = readyBackends(slices, portName);
    for (const ip of refused) out.skipped.push(`backend ${ip} of ${service} is not a loopback address`);
    const add = (host: string, p: number, kind: FrontendKind) => {
      if (!isLoopbackIPv4(host)) out.skipped.push(`${kind} ${host} of ${service} is not a loopback address`);
      else out.frontends.push({ key: listenerKey(host, p, path), host, port: p, kind, path, service, portName, backends: ready, affinityMs: affinity });
    };
    for (const ip of ips) add(ip, port.port, FrontendKinds.ClusterIP);
    if (withNodePort && port.nodePort) add(opts.nodeIP, port.nodePort, FrontendKinds.NodePort);
  }
  return out;
}
