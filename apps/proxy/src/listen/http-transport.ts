// HttpTransport: the HTTP path's listener — a Node HTTP/1.1 server whose requests and upgrades go
// to the handler with the listener's key (the handler looks the Route up at that moment, so
// endpoint changes need no server change). Closing lets requests in flight finish: idle
// keep-alive connections close now, busy ones after their response, and any connection still
// open after the drain time is cut, upgraded ones (WebSockets) included.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ListenerSpec } from './listener-set.js';
import { ServerTransport } from './server-transport.js';
import type { TransportEvents, TransportFactory } from './transport.js';

export interface ListenerHandler {
  request(key: string, req: IncomingMessage, res: ServerResponse): void;
  upgrade(key: string, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export class HttpTransport extends ServerTransport {
  private readonly http: Server;
  /** Upgraded connections (WebSockets): the HTTP server no longer tracks them, so we do. */
  private readonly upgraded = new Set<Duplex>();

  constructor(spec: ListenerSpec, events: TransportEvents, handler: ListenerHandler) {
    const http = createServer((req, res) => handler.request(spec.key, req, res));
    super(spec, http, events);
    this.http = http;
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      handler.upgrade(spec.key, req, socket, head);
    });
  }

  protected override cut(): void {
    this.http.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
  }

  protected override closing(): void {
    this.http.closeIdleConnections();
  }
}

/** The factory of a ListenerSet that serves HTTP on every listener. */
export function httpTransports(handler: ListenerHandler): TransportFactory {
  return (spec, events) => new HttpTransport(spec, events, handler);
}
