// HeldRequest: one client request (or WebSocket upgrade) the activator holds, as the activator
// sees it — where it goes once its route has an endpoint, how it is refused, and when its client
// went away. Built by the proxier from the listener's request, so the activator never touches
// sockets itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from '@kite/api-types';
import type { Backend } from '../catalog/endpoints.js';
import type { Forwarder } from '../forward/forwarder.js';
import type { Route } from '../forward/route.js';
import type { ErrorReason } from '../metrics.js';
import { rawStatusResponse, statusResponse } from './status.js';

export interface HeldRequest {
  /** The Service port it came in on; it goes out once that port has a ready endpoint. */
  readonly route: Route;
  /** Sends it on through the forwarder: to `via` when given (a Ready pod the slice does not name yet), else to the route's endpoints. */
  forward(via?: Backend): void;
  /** Answers it with `status` (a 503) and counts it under `reason`. */
  refuse(status: Status, reason: ErrorReason): void;
  /** Calls `fn` once if the client goes away before the request was forwarded or refused. */
  onGone(fn: () => void): void;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export function heldWebRequest(route: Route, forwarder: Forwarder, req: IncomingMessage, res: ServerResponse): HeldRequest {
  const since = performance.now();
  return {
    route,
    forward: (via) => forwarder.web(route, req, res, via),
    refuse: (status, reason) => {
      route.metrics.error(reason);
      route.metrics.request(status.code ?? 503, seconds(since));
      statusResponse(res, status);
    },
    onGone: (fn) => res.once('close', fn),
  };
}

export function heldUpgrade(route: Route, forwarder: Forwarder, req: IncomingMessage, socket: Duplex, head: Buffer): HeldRequest {
  const since = performance.now();
  return {
    route,
    forward: (via) => forwarder.upgrade(route, req, socket, head, via),
    refuse: (status, reason) => {
      route.metrics.error(reason);
      route.metrics.request(status.code ?? 503, seconds(since));
      rawStatusResponse(socket, status);
    },
    onGone: (fn) => socket.once('close', fn),
  };
}
