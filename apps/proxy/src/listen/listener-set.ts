// ListenerSet: the HTTP servers bound on this node — one per `host:port` a Service asks for — kept
// equal to the desired set.
//
// Contract:
// - `reconcile(desired)` opens a server for every new key and closes every key no longer desired.
//   Closing stops accepting at once (the port is free again) and lets requests in flight finish;
//   idle keep-alive connections close now, busy ones after their response, and any connection
//   still open after DRAIN_MS is cut.
// - Every server hands its requests and upgrades to `handler` with its key; the handler looks the
//   Route up at that moment, so endpoint changes need no server change.
// - A bind that fails is retried every RETRY_MS while the key is desired. EADDRINUSE on a
//   ClusterIP is the expected case of several proxies on one machine: the others hold the address,
//   so this proxy stands by (state `standby`) and takes the address over when its holder lets go.
//   Node 20 cannot share a listening address between processes (no SO_REUSEPORT; measured, see
//   the README), so exactly one proxy on the machine serves a given ClusterIP:port at a time.
// - `states()` reports each key's state for /metrics and /listeners.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@kite/component-base';
import { FrontendKinds, type FrontendKind } from '../catalog/frontends.js';

/** Delay between attempts to bind an address that was in use or unavailable. */
export const RETRY_MS = 1000;
/** How long a closed listener's open connections may take to finish. */
export const DRAIN_MS = 10_000;

export const ListenerStates = { Binding: 'binding', Bound: 'bound', Standby: 'standby', Failed: 'failed' } as const;
export type ListenerState = (typeof ListenerStates)[keyof typeof ListenerStates];

export interface ListenerSpec {
  key: string;
  host: string;
  port: number;
  kind: FrontendKind;
  /** `namespace/name` of the Service it serves, for /listeners and logs. */
  service: string;
}

export interface ListenerHandler {
  request(key: string, req: IncomingMessage, res: ServerResponse): void;
  upgrade(key: string, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

interface Listener {
  spec: ListenerSpec;
  server: Server;
  /** Upgraded connections (WebSockets): the HTTP server no longer tracks them, so we do. */
  upgraded: Set<Duplex>;
  state: ListenerState;
  retry?: NodeJS.Timeout;
  lastError?: string;
}

export interface ListenerInfo extends ListenerSpec {
  state: ListenerState;
  error?: string;
}

export class ListenerSet {
  private readonly listeners = new Map<string, Listener>();

  constructor(
    private readonly handler: ListenerHandler,
    private readonly log: Logger,
    private readonly onStateChange: () => void = () => undefined,
  ) {}

  reconcile(desired: ReadonlyMap<string, ListenerSpec>): void {
    for (const [key, l] of this.listeners) if (!desired.has(key)) this.close(l);
    for (const [key, spec] of desired) if (!this.listeners.has(key)) this.open(spec);
  }

  states(): ListenerInfo[] {
    return [...this.listeners.values()].map((l) => ({ ...l.spec, state: l.state, ...(l.lastError ? { error: l.lastError } : {}) }));
  }

  state(key: string): ListenerState | undefined {
    return this.listeners.get(key)?.state;
  }

  /** Closes every listener; resolves when all servers have closed (connections cut after `drainMs`). */
  async closeAll(drainMs = DRAIN_MS): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => this.close(l, drainMs)));
  }

  private open(spec: ListenerSpec): void {
    const server = createServer((req, res) => this.handler.request(spec.key, req, res));
    const l: Listener = { spec, server, upgraded: new Set(), state: ListenerStates.Binding };
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      l.upgraded.add(socket);
      socket.once('close', () => l.upgraded.delete(socket));
      this.handler.upgrade(spec.key, req, socket, head);
    });
    this.listeners.set(spec.key, l);
    server.on('error', (err: NodeJS.ErrnoException) => this.bindFailed(l, err));
    server.on('listening', () => {
      // Removed while its bind was under way: let go of the address at once.
      if (this.listeners.get(spec.key) !== l) {
        server.close();
        return;
      }
      l.lastError = undefined;
      this.setState(l, ListenerStates.Bound);
      this.log.info({ listener: spec.key, kind: spec.kind }, 'listening');
    });
    this.listen(l);
  }

  private listen(l: Listener): void {
    l.retry = undefined;
    if (this.listeners.get(l.spec.key) !== l) return;
    l.server.listen({ host: l.spec.host, port: l.spec.port });
  }

  private bindFailed(l: Listener, err: NodeJS.ErrnoException): void {
    if (this.listeners.get(l.spec.key) !== l || l.state === ListenerStates.Bound) {
      this.log.warn({ err, listener: l.spec.key }, 'listener error');
      return;
    }
    const standby = err.code === 'EADDRINUSE' && l.spec.kind === FrontendKinds.ClusterIP;
    const next = standby ? ListenerStates.Standby : ListenerStates.Failed;
    if (l.state !== next || l.lastError !== err.code) {
      const msg = standby ? 'address held by another proxy on this machine; standing by' : 'cannot listen; will retry';
      (standby ? this.log.info : this.log.warn).call(this.log, { listener: l.spec.key, code: err.code }, msg);
    }
    l.lastError = err.code ?? err.message;
    this.setState(l, next);
    l.retry = setTimeout(() => this.listen(l), RETRY_MS);
    l.retry.unref();
  }

  private close(l: Listener, drainMs = DRAIN_MS): Promise<void> {
    this.listeners.delete(l.spec.key);
    if (l.retry) clearTimeout(l.retry);
    this.onStateChange();
    if (!l.server.listening) return Promise.resolve();
    this.log.info({ listener: l.spec.key }, 'closing listener');
    const drain = setTimeout(() => {
      l.server.closeAllConnections();
      for (const socket of l.upgraded) socket.destroy();
    }, drainMs);
    drain.unref();
    return new Promise((resolve) => {
      l.server.close(() => {
        clearTimeout(drain);
        resolve();
      });
      l.server.closeIdleConnections();
    });
  }

  private setState(l: Listener, state: ListenerState): void {
    l.state = state;
    this.onStateChange();
  }
}
