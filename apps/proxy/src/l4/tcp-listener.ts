// TcpListener: the raw TCP path's listener — a net server on a ClusterIP:port or NodePort whose
// connections go to the handler with the listener's key, as they arrive and before any byte is
// read (`pauseOnConnect`: what the client sends first waits in the kernel until the endpoint's
// connection is up). Sockets are half-open capable (`allowHalfOpen`), so a client that shuts
// down its sending side still receives the endpoint's answer (tcp-forwarder.ts).
//
// Closing stops accepting at once; connections in flight may go on for the drain time (as IPVS
// keeps established connections of a removed Service until they end), then they are cut.
import { createServer, type Socket } from 'node:net';
import type { ListenerSpec } from '../listen/listener-set.js';
import { ServerTransport } from '../listen/server-transport.js';
import type { TransportEvents } from '../listen/transport.js';

export type ConnectionHandler = (key: string, socket: Socket) => void;

export class TcpListener extends ServerTransport {
  private readonly sockets: Set<Socket>;

  constructor(spec: ListenerSpec, events: TransportEvents, handler: ConnectionHandler) {
    const sockets = new Set<Socket>();
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      handler(spec.key, socket);
    });
    super(spec, server, events);
    this.sockets = sockets;
  }

  protected override cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
