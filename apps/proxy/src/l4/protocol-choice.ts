// Which data path serves one Service port (pure; table-tested in test/l4-protocol-choice.test.ts).
//
// kube-proxy forwards every Service port at layer 4 and never looks inside. This proxy does the
// same, except for ports that say they speak HTTP/1.1, where http-proxy adds what only an
// HTTP-aware hop can: retrying a request on another endpoint after a refused or reset connection
// (with its body replayed), X-Forwarded-For/Port/Proto/Host, a 503 with a message when no
// endpoint is ready, WebSocket upgrades, and holding requests while a Service scales from zero.
//
// The rule, in order (Istio's and Kubernetes' conventions for declaring a port's protocol):
// 1. `protocol: UDP` → the UDP path; `protocol: SCTP` → skipped (Node has no SCTP sockets).
// 2. `protocol: TCP` (the default) with `appProtocol` set: HTTP when it is `http` or
//    `kubernetes.io/ws` (compared case-insensitively, as IANA service names are); any other
//    value (`https`, `kubernetes.io/h2c`, `kubernetes.io/wss`, `redis`, `postgresql`, ...) → raw
//    TCP. `appProtocol` wins over the port's name, as in Istio.
// 3. Without `appProtocol`: HTTP when the port is named `http` or `http-<suffix>`; raw TCP
//    otherwise (an unnamed port, `redis`, `grpc`, `http2`, `https`, ...).
//
// Why `kubernetes.io/h2c` goes to raw TCP although it is HTTP: the HTTP path is Node's HTTP/1.1
// server, which answers HTTP/2's prior-knowledge preface (`PRI * HTTP/2.0`, what gRPC clients
// send) with 400 Bad Request. A raw TCP hop carries h2c, TLS and every other protocol unchanged.
import type { DeepReadonly } from '@kite/client';
import type { ServicePort } from '@kite/api-types';

/** How the proxy forwards a Service port. */
export const PortPaths = {
  /** http-proxy: an HTTP/1.1 server on the frontend, requests forwarded one by one. */
  Http: 'http',
  /** A byte pipe per TCP connection (l4/tcp-forwarder.ts). */
  Tcp: 'tcp',
  /** A session per client address (l4/udp-forwarder.ts). */
  Udp: 'udp',
} as const;
export type PortPath = (typeof PortPaths)[keyof typeof PortPaths];

/** `appProtocol` values that select the HTTP path (lower case). */
export const HTTP_APP_PROTOCOLS: ReadonlySet<string> = new Set(['http', 'kubernetes.io/ws']);
/** A port name that selects the HTTP path when no `appProtocol` is given: `http` or `http-*`. */
const HTTP_PORT_NAME = /^http(-.+)?$/;

export interface PortChoice {
  /** The path, or undefined when the port is not forwarded. */
  path: PortPath | undefined;
  /** Why the port is not forwarded (for the log); '' when it is. */
  reason: string;
}

type Port = Pick<DeepReadonly<ServicePort>, 'name' | 'protocol' | 'appProtocol'>;

export function choosePath(port: Port): PortChoice {
  const protocol = port.protocol ?? 'TCP';
  if (protocol === 'UDP') return { path: PortPaths.Udp, reason: '' };
  if (protocol !== 'TCP') return { path: undefined, reason: `protocol ${protocol} is not forwarded` };
  const app = port.appProtocol?.toLowerCase();
  if (app !== undefined && app !== '') return { path: HTTP_APP_PROTOCOLS.has(app) ? PortPaths.Http : PortPaths.Tcp, reason: '' };
  return { path: HTTP_PORT_NAME.test(port.name ?? '') ? PortPaths.Http : PortPaths.Tcp, reason: '' };
}
