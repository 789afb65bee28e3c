// TcpForwarder: the raw TCP path — one client connection piped to one endpoint, byte for byte,
// as kube-proxy's IPVS mode forwards it (no protocol is parsed, so Redis, Postgres, TLS, h2c and
// anything else pass unchanged).
//
// Contract:
// - The endpoint is chosen by the Route's balancer (round-robin, ClientIP affinity by the
//   client's address), the same choice the HTTP path makes; each attempt counts one request for
//   the endpoint's pod in `kite_proxy_endpoint_requests_total`.
// - A connect that is refused, unreachable or not up within CONNECT_TIMEOUT_MS goes to the next
//   endpoint not yet tried, at most MAX_ATTEMPTS in all (the HTTP path's bound); each retry
//   counts in `kite_proxy_retries_total`. When none is left the client's connection is reset.
// - No ready endpoint: the client's connection is reset at once (RST), the closest a user-space
//   proxy gets to kube-proxy's ICMP reject; it counts as `no_endpoints`.
// - Once connected, bytes flow both ways with half-close: when one side ends its sending
//   direction (FIN), the other side's sending direction is ended too, and the connection lives
//   until both directions have ended. An error on one side (reset, broken pipe) resets or closes
//   the other; a client that goes away while its endpoint is being dialled aborts the dial.
// - Endpoint changes do not touch a connection once made (IPVS keeps established connections to
//   a removed real server); only new connections see the new endpoints.
import { connect, type Socket } from 'node:net';
import type { Logger } from '@kite/component-base';
import type { Backend } from '../catalog/endpoints.js';
import { MAX_ATTEMPTS } from '../forward/forwarder.js';
import type { Route } from '../forward/route.js';
import { ErrorReasons } from '../metrics.js';

/**
 * Longest wait for an endpoint to accept the connection before the next one is tried. Endpoints
 * are on this machine's loopback, where a live one answers a SYN in well under a millisecond and
 * a dead one refuses at once; 3 s (Linux's second SYN retransmission) leaves room for a loaded
 * machine without holding the client long on an endpoint that has hung.
 */
export const CONNECT_TIMEOUT_MS = 3000;
/** Dial errors that mean the endpoint never took the connection: safe to try another. */
const RETRIABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT']);

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'EUNKNOWN';
}

/** Ends `socket` with a TCP reset when it is still open (the peer sees ECONNRESET). */
function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/**
 * What one side's close means for the other: after an error (reset, broken pipe) a reset; after
 * both directions ended cleanly nothing (`other` flushes its last bytes and closes by itself);
 * otherwise (cut by a drain, say) `other` is closed, since nobody is left to talk to.
 */
function follow(closed: Socket, hadError: boolean, other: Socket): void {
  if (hadError) reset(other);
  else if (!(closed.readableEnded && other.readableEnded)) other.destroy();
}

export class TcpForwarder {
  constructor(private readonly log: Logger) {}

  forward(route: Route, client: Socket): void {
    client.on('error', (err) => this.log.debug({ err, service: route.service }, 'client connection error'));
    const source = client.remoteAddress ?? '';
    const tried = new Set<string>();
    const attempt = (lastError: string): void => {
      if (client.destroyed) return;
      const b = route.balancer.pick(source, tried);
      if (!b) {
        route.metrics.error(tried.size === 0 ? ErrorReasons.NoEndpoints : ErrorReasons.Upstream);
        if (tried.size > 0) this.log.debug({ service: route.service, tried: tried.size, lastError }, 'every endpoint tried failed');
        reset(client);
        return;
      }
      tried.add(b.key);
      route.metrics.forwarded(b.pod);
      this.dial(b, client, (code) => {
        if (RETRIABLE_CODES.has(code) && tried.size < MAX_ATTEMPTS) {
          route.metrics.retry();
          attempt(code);
          return;
        }
        route.metrics.error(ErrorReasons.Upstream);
        this.log.debug({ service: route.service, backend: b.key, code }, 'endpoint connect failed');
        reset(client);
      });
    };
    attempt('');
  }

  /** Connects to `b`; on success pipes it with `client`, on failure reports the error code. */
  private dial(b: Backend, client: Socket, failed: (code: string) => void): void {
    const upstream = connect({ host: b.ip, port: b.port, allowHalfOpen: true, noDelay: true });
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy(Object.assign(new Error(`connect to ${b.key} timed out`), { code: 'ETIMEDOUT' })));
    const abort = () => upstream.destroy();
    client.once('close', abort);
    const onDialError = (err: Error) => {
      client.off('close', abort);
      failed(errorCode(err));
    };
    upstream.once('error', onDialError);
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      upstream.off('error', onDialError);
      client.off('close', abort);
      this.pipe(client, upstream);
    });
  }

  /** Bytes both ways with half-close; an error or reset on one side ends the other. */
  private pipe(client: Socket, upstream: Socket): void {
    upstream.on('error', (err) => this.log.debug({ err }, 'endpoint connection error'));
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', (hadError) => follow(client, hadError, upstream));
    upstream.once('close', (hadError) => follow(upstream, hadError, client));
  }
}
