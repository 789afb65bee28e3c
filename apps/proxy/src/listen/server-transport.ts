// ServerTransport: what the HTTP and raw TCP transports share — a listening net server (an HTTP
// server is one) bound to the spec's address, reporting its bind to the ListenerSet, and a close
// that stops accepting at once, lets connections finish, and cuts what is left after the drain
// time. Subclasses say how to cut (`cut`) and what to do the moment accepting stops (`closing`).
import type { Server } from 'node:net';
import type { ListenerSpec } from './listener-set.js';
import type { Transport, TransportEvents } from './transport.js';

export abstract class ServerTransport implements Transport {
  constructor(
    protected readonly spec: ListenerSpec,
    private readonly server: Server,
    events: TransportEvents,
  ) {
    server.on('error', (err: NodeJS.ErrnoException) => events.error(err));
    server.on('listening', () => events.listening());
  }

  listen(): void {
    this.server.listen({ host: this.spec.host, port: this.spec.port });
  }

  listening(): boolean {
    return this.server.listening;
  }

  close(drainMs: number): Promise<void> {
    const drain = setTimeout(() => this.cut(), drainMs);
    drain.unref();
    return new Promise((resolve) => {
      this.server.close(() => {
        clearTimeout(drain);
        resolve();
      });
      this.closing();
    });
  }

  /** Ends every connection still open once the drain time is over. */
  protected abstract cut(): void;

  /** Runs as soon as the server stops accepting. */
  protected closing(): void {}
}
