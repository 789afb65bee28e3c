// UdpListener: the UDP path — a datagram socket on a Service's ClusterIP:port or NodePort that
// forwards each client's datagrams to one endpoint and sends the endpoint's replies back to the
// client from the Service address, as kube-proxy's UDP forwarding appears to a client.
//
// Contract:
// - A client is its source `ip:port`. Its first datagram opens a session (udp-sessions.ts): the
//   Route's balancer picks the endpoint (round-robin, ClientIP affinity by the client's IP) and an
//   upstream socket on this node's IP is opened for it; the session's datagrams go there, and
//   what the endpoint sends back to that socket is relayed to the client. Each new session counts
//   one request for the endpoint's pod in `kite_proxy_endpoint_requests_total`.
// - A session ends after `idleMs` without a datagram either way, or when its endpoint leaves the
//   Service (`prune`, called by the proxier after each sync). The next datagram opens a new one.
// - No ready endpoint, or the session table full: the datagram is dropped (UDP has no refusal a
//   user-space proxy could send; kube-proxy's ICMP reject has no equivalent here), and counted as
//   `no_endpoints`. UDP is not retried on another endpoint: the proxy cannot tell a lost datagram
//   from a slow answer, and kube-proxy does not retry UDP either.
// - The listener socket binds exclusively, so a second proxy on the machine gets EADDRINUSE for a
//   ClusterIP and stands by, as for TCP (listen/listener-set.ts).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '@kite/component-base';
import type { Backend } from '../catalog/endpoints.js';
import type { Route } from '../forward/route.js';
import type { ListenerSpec } from '../listen/listener-set.js';
import type { Transport, TransportEvents } from '../listen/transport.js';
import { ErrorReasons } from '../metrics.js';
import { hostPort } from '../net.js';
import { UdpSessions, type Session } from './udp-sessions.js';

/**
 * How long a UDP session may stay idle before it ends (`--udp-idle-timeout`). Kubernetes'
 * userspace proxier used 250 ms, which cuts request/response protocols whose server takes longer
 * than that to answer; IPVS keeps UDP entries 300 s, and conntrack 120 s for a stream that has
 * seen replies. 60 s outlives any DNS, syslog or game-server exchange while keeping the table
 * (an upstream socket per client) small for clients that never come back.
 */
export const DEFAULT_UDP_IDLE_TIMEOUT_MS = 60_000;
/** Sessions one UDP listener keeps at most; datagrams of new clients beyond it are dropped. */
export const MAX_UDP_SESSIONS = 10_000;

export interface UdpListenerOptions {
  /** The listener's Route at this moment (undefined while its Service is being removed). */
  route(key: string): Route | undefined;
  /** Address the upstream sockets bind: this node's IP (BRIEF §5: loopback only). */
  sourceIP: string;
  /** Idle time after which a session ends. */
  idleMs: number;
  log: Logger;
}

/** One client's upstream socket to its endpoint. */
class UpstreamSession implements Session {
  readonly backend: string;
  private readonly socket: Socket;
  private closed = false;

  constructor(
    private readonly b: Backend,
    sourceIP: string,
    onReply: (msg: Buffer) => void,
    onError: (err: Error) => void,
  ) {
    this.backend = b.key;
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg, from) => {
      if (from.address === b.ip && from.port === b.port) onReply(msg);
    });
    this.socket.on('error', onError);
    // Datagrams sent before the bind completes are queued by Node and go out once it has.
    this.socket.bind({ address: sourceIP, port: 0 });
  }

  send(msg: Buffer): void {
    if (!this.closed) this.socket.send(msg, this.b.port, this.b.ip);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}

export class UdpListener implements Transport {
  private socket: Socket | undefined;
  private bound = false;
  private readonly sessions: UdpSessions<UpstreamSession>;

  constructor(
    private readonly spec: ListenerSpec,
    private readonly events: TransportEvents,
    private readonly opts: UdpListenerOptions,
  ) {
    this.sessions = new UdpSessions(opts.idleMs, MAX_UDP_SESSIONS);
  }

  listen(): void {
    // A fresh socket per attempt: a socket whose bind failed is not reused.
    const socket = createSocket({ type: 'udp4' });
    this.socket = socket;
    socket.once('listening', () => {
      this.bound = true;
      this.events.listening();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.bound) {
        this.opts.log.warn({ err, listener: this.spec.key }, 'udp listener error');
        return;
      }
      socket.close();
      this.events.error(err);
    });
    socket.on('message', (msg, rinfo) => this.datagram(socket, msg, rinfo));
    socket.bind({ address: this.spec.host, port: this.spec.port, exclusive: true });
  }

  listening(): boolean {
    return this.bound;
  }

  /** Sessions cannot outlive the address their replies come from: all end at once. */
  close(): Promise<void> {
    this.sessions.closeAll();
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || !this.bound) return Promise.resolve();
    this.bound = false;
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  /** Ends the sessions whose endpoint is no longer a ready endpoint of the Service port. */
  prune(): void {
    const balancer = this.opts.route(this.spec.key)?.balancer;
    this.sessions.closeWhere((backend) => !balancer?.has(backend));
  }

  sessionCount(): number {
    return this.sessions.size();
  }

  private datagram(socket: Socket, msg: Buffer, rinfo: RemoteInfo): void {
    const client = hostPort(rinfo.address, rinfo.port);
    const session = this.sessions.get(client) ?? this.open(socket, client, rinfo);
    if (!session) return;
    this.sessions.touch(client);
    session.send(msg);
  }

  private open(socket: Socket, client: string, rinfo: RemoteInfo): UpstreamSession | undefined {
    const route = this.opts.route(this.spec.key);
    const b = route?.balancer.pick(rinfo.address);
    if (!route || !b) {
      route?.metrics.error(ErrorReasons.NoEndpoints);
      return undefined;
    }
    const reply = (msg: Buffer) => {
      this.sessions.touch(client);
      socket.send(msg, rinfo.port, rinfo.address);
    };
    const failed = (err: Error) => {
      this.opts.log.debug({ err, listener: this.spec.key, backend: b.key }, 'udp session error');
      this.sessions.remove(client);
    };
    const session = new UpstreamSession(b, this.opts.sourceIP, reply, failed);
    if (!this.sessions.add(client, session)) {
      session.close();
      route.metrics.error(ErrorReasons.UdpSessionsFull);
      this.opts.log.debug({ listener: this.spec.key, limit: MAX_UDP_SESSIONS }, 'udp session table full; datagram dropped');
      return undefined;
    }
    route.metrics.forwarded(b.pod);
    return session;
  }
}
