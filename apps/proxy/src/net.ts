// Address rules shared by the proxy and the DNS server (BRIEF §5): every address this project
// binds or sends traffic to is on the loopback network 127.0.0.0/8. The proxy refuses to bind a
// ClusterIP or NodePort address outside it, and refuses to forward to a backend outside it, so a
// stray EndpointSlice cannot make it send traffic off the machine.
import { isIPv4 } from 'node:net';

/** First octet of the IPv4 loopback network 127.0.0.0/8. */
const LOOPBACK_FIRST_OCTET = '127';

/** True for a dotted-quad IPv4 address inside 127.0.0.0/8. */
export function isLoopbackIPv4(ip: string): boolean {
  return isIPv4(ip) && ip.split('.')[0] === LOOPBACK_FIRST_OCTET;
}

/** `host:port`, the key of a listener and of a backend. */
export function hostPort(host: string, port: number): string {
  return `${host}:${port}`;
}
