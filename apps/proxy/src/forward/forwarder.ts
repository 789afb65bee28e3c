// Forwarder: sends one client request (or WebSocket upgrade) to a backend of its Route through
// http-proxy, and owns the failure rules of the data path.
//
// Contract (issue 6):
// - No ready endpoint: 503 at once with a short plain message (`Route.noEndpointsMessage`).
// - A connection refused or reset before any response byte reached the client: the request goes to
//   the next endpoint not yet tried, at most MAX_ATTEMPTS in all; when none is left, 502. The body
//   is replayed from BodyReplay; a body too large to keep is not retried.
// - After the response has started, a broken backend connection cuts the client's response too
//   (destroying it) rather than leaving the client waiting.
// - WebSocket upgrades pass through (http-proxy's `ws`), on a fresh connection each; they are not
//   retried, because http-proxy closes the client socket after an upgrade error.
// - X-Forwarded-For/Port/Proto/Host are set once per request (forwarded.ts).
// - Every request is counted per Service port by status code with its latency; a client that
//   went away before the response ended counts as CLIENT_CLOSED (499, nginx's convention). Each
//   attempt is also counted for the pod it went to (kite_proxy_endpoint_requests_total).
import { Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import type { Logger } from '@kite/component-base';
import type { Backend } from '../catalog/endpoints.js';
import { ErrorReasons } from '../metrics.js';
import { BodyReplay } from './body-replay.js';
import { setForwardedHeaders } from './forwarded.js';
import { plainResponse, rawResponse } from './responses.js';
import type { Route } from './route.js';

/** Most endpoints one request is sent to before the proxy gives up with 502. */
export const MAX_ATTEMPTS = 5;
/** Status recorded for a request whose client closed the connection before the response ended. */
export const CLIENT_CLOSED = 499;
/** Idle keep-alive connections kept per backend. */
const MAX_FREE_SOCKETS_PER_BACKEND = 64;
/** Connection errors that mean the backend never handled the request: safe to try another. */
const RETRIABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'EUNKNOWN';
}

const target = (b: Backend) => ({ host: b.ip, port: b.port, protocol: 'http:' });

export class Forwarder {
  private readonly agent = new Agent({ keepAlive: true, noDelay: true, maxFreeSockets: MAX_FREE_SOCKETS_PER_BACKEND, scheduling: 'lifo' });
  private readonly proxy = httpProxy.createProxyServer({ agent: this.agent, xfwd: false });
  private readonly routes = new WeakMap<ServerResponse, Route>();

  constructor(private readonly log: Logger) {
    // A backend that breaks its connection mid-response: cut the client's response as well.
    this.proxy.on('proxyRes', (proxyRes: IncomingMessage, _req: IncomingMessage, res: ServerResponse) => {
      proxyRes.once('aborted', () => {
        this.routes.get(res)?.metrics.error(ErrorReasons.Aborted);
        res.destroy();
      });
    });
    // An upgraded connection lives as long as both sides: when either closes, close the other
    // (http-proxy only ends the backend side on a client error, not on a client that vanished).
    this.proxy.on('proxyReqWs', (proxyReq: ClientRequest, _req: IncomingMessage, socket: Duplex) => {
      proxyReq.once('upgrade', (_res: IncomingMessage, proxySocket: Duplex) => {
        socket.once('close', () => proxySocket.destroy());
        proxySocket.once('close', () => socket.destroy());
      });
    });
    // Errors of calls that passed a callback never come here; this only guards against a crash.
    this.proxy.on('error', (err: Error) => this.log.warn({ err }, 'unhandled proxy error'));
  }

  /** `first`, when given, is tried before the route's endpoints (the activator's Ready pod). */
  web(route: Route, req: IncomingMessage, res: ServerResponse, first?: Backend): void {
    const started = performance.now();
    this.routes.set(res, route);
    res.once('close', () => route.metrics.request(res.writableFinished ? res.statusCode : CLIENT_CLOSED, (performance.now() - started) / 1000));
    setForwardedHeaders(req);
    const client = req.socket.remoteAddress ?? '';
    const body = new BodyReplay(req);
    const tried = new Set<string>();
    let lastError = '';
    const attempt = (stream: Readable | undefined): void => {
      if (res.destroyed) return;
      const b = first && tried.size === 0 ? first : route.balancer.pick(client, tried);
      if (!b) {
        this.exhausted(route, res, tried.size, lastError);
        return;
      }
      tried.add(b.key);
      route.metrics.forwarded(b.pod);
      let settled = false;
      this.proxy.web(req, res, { target: target(b), buffer: stream }, (err) => {
        if (settled) return;
        settled = true;
        lastError = errorCode(err);
        if (res.headersSent || !RETRIABLE_CODES.has(lastError) || tried.size >= MAX_ATTEMPTS || !body.replayable()) {
          this.fail(route, b, err, res);
          return;
        }
        body.replay().then(
          (stream) => {
            if (!stream) return this.fail(route, b, err, res);
            route.metrics.retry();
            attempt(stream);
          },
          () => res.destroy(),
        );
      });
    };
    attempt(undefined);
  }

  upgrade(route: Route, req: IncomingMessage, socket: Duplex, head: Buffer, first?: Backend): void {
    const started = performance.now();
    let code = 101;
    socket.once('close', () => route.metrics.request(code, (performance.now() - started) / 1000));
    setForwardedHeaders(req);
    const b = first ?? route.balancer.pick(req.socket.remoteAddress ?? '');
    if (!b) {
      code = 503;
      route.metrics.error(ErrorReasons.NoEndpoints);
      rawResponse(socket, code, route.noEndpointsMessage);
      return;
    }
    route.metrics.forwarded(b.pod);
    this.proxy.ws(req, socket, head, { target: target(b), agent: false }, (err) => {
      this.log.debug({ err, service: route.service, backend: b.key }, 'upgrade failed');
      if (socket instanceof Socket && socket.bytesWritten > 0) return;
      code = 502;
      route.metrics.error(ErrorReasons.Upstream);
      rawResponse(socket, code, `endpoint ${b.key} of ${route.service} failed: ${errorCode(err)}\n`);
    });
  }

  close(): void {
    this.proxy.close();
    this.agent.destroy();
  }

  /** No backend left to try: none was ready (503), or every one tried failed (502). */
  private exhausted(route: Route, res: ServerResponse, tried: number, lastError: string): void {
    if (tried === 0) {
      route.metrics.error(ErrorReasons.NoEndpoints);
      plainResponse(res, 503, route.noEndpointsMessage);
      return;
    }
    route.metrics.error(ErrorReasons.Upstream);
    plainResponse(res, 502, `all ${tried} endpoints of ${route.service} failed (last: ${lastError})\n`);
  }

  private fail(route: Route, b: Backend, err: Error, res: ServerResponse): void {
    this.log.debug({ err, service: route.service, backend: b.key }, 'forwarding failed');
    if (res.headersSent) {
      route.metrics.error(ErrorReasons.Aborted);
      res.destroy();
      return;
    }
    route.metrics.error(ErrorReasons.Upstream);
    plainResponse(res, 502, `endpoint ${b.key} of ${route.service} failed: ${errorCode(err)}\n`);
  }
}
