// ListenerSet: the listeners bound on this node — one per `host:port` (and `host:port/udp`) a
// Service asks for — kept equal to the desired set.
//
// Contract:
// - `reconcile(desired)` opens a listener for every new key, closes every key no longer desired,
//   and replaces a listener whose data path changed (a port renamed to `http`, say).
//   Closing stops accepting at once (the port is free again) and lets work in flight finish;
//   whatever is still open after DRAIN_MS is cut.
// - What a listener serves is its transport's business (transport.ts): the factory makes an HTTP,
//   raw TCP or UDP transport per spec. This set only binds, retries and reports.
// - A bind that fails is retried every RETRY_MS while the key is desired. EADDRINUSE on a
//   ClusterIP is the expected case of several proxies on one machine: the others hold the address,
//   so this proxy stands by (state `standby`) and takes the address over when its holder lets go.
//   Node 20 cannot share a listening address between processes (no SO_REUSEPORT; measured, see
//   the README), so exactly one proxy on the machine serves a given ClusterIP:port at a time.
// - `states()` reports each key's state for /metrics and /listeners.
import type { Logger } from '@kite/component-base';
import { FrontendKinds, type FrontendKind } from '../catalog/frontends.js';
import type { PortPath } from '../l4/protocol-choice.js';
import type { Transport, TransportFactory } from './transport.js';

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
  /** HTTP, raw TCP or UDP (l4/protocol-choice.ts). */
  path: PortPath;
  /** `namespace/name` of the Service it serves, for /listeners and logs. */
  service: string;
}

interface Listener {
  spec: ListenerSpec;
  transport: Transport;
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
    private readonly transports: TransportFactory,
    private readonly log: Logger,
    private readonly onStateChange: () => void = () => undefined,
  ) {}

  reconcile(desired: ReadonlyMap<string, ListenerSpec>): void {
    for (const [key, l] of this.listeners) if (desired.get(key)?.path !== l.spec.path) void this.close(l);
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
    // The transport reports only after listen(), by which time `l` is set.
    const transport = this.transports(spec, { listening: () => this.bound(l), error: (err) => this.bindFailed(l, err) });
    const l: Listener = { spec, transport, state: ListenerStates.Binding };
    this.listeners.set(spec.key, l);
    this.listen(l);
  }

  private bound(l: Listener): void {
    // Removed while its bind was under way: let go of the address at once.
    if (this.listeners.get(l.spec.key) !== l) {
      void l.transport.close(0);
      return;
    }
    l.lastError = undefined;
    this.setState(l, ListenerStates.Bound);
    this.log.info({ listener: l.spec.key, kind: l.spec.kind, path: l.spec.path }, 'listening');
  }

  private listen(l: Listener): void {
    l.retry = undefined;
    if (this.listeners.get(l.spec.key) !== l) return;
    l.transport.listen();
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
    if (!l.transport.listening()) return Promise.resolve();
    this.log.info({ listener: l.spec.key }, 'closing listener');
    return l.transport.close(drainMs);
  }

  private setState(l: Listener, state: ListenerState): void {
    l.state = state;
    this.onStateChange();
  }
}
