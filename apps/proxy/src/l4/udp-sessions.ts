// UdpSessions: the UDP path's table of sessions, one per client address (`ip:port`), each bound
// to one endpoint — what conntrack and IPVS keep for UDP "connections". Every datagram of a
// session, either way, goes to the same endpoint; the table forgets a session once it has been
// idle for the idle timeout (kube-proxy's `--udp-timeout`, here `--udp-idle-timeout`), and closes
// it when its endpoint leaves the Service.
//
// Contract:
// - `add` refuses a new session when `limit` are open (the datagram is dropped, as a full
//   conntrack table drops); `get` finds an open one; `touch` restarts its idle clock.
// - A session ends exactly once — idle, `closeWhere`, `closeAll` or `remove` — and its `close()`
//   is then called (the UDP forwarder closes the session's upstream socket there).
export interface Session {
  /** `ip:port` of the endpoint the session is bound to. */
  readonly backend: string;
  close(): void;
}

interface Entry<S extends Session> {
  session: S;
  idle: NodeJS.Timeout;
}

export class UdpSessions<S extends Session> {
  private readonly entries = new Map<string, Entry<S>>();

  constructor(
    private readonly idleMs: number,
    private readonly limit: number,
  ) {}

  get(client: string): S | undefined {
    return this.entries.get(client)?.session;
  }

  /** Opens `session` for `client`; false (and nothing kept) when the table is full. */
  add(client: string, session: S): boolean {
    if (this.entries.size >= this.limit) return false;
    this.remove(client);
    const idle = setTimeout(() => this.remove(client), this.idleMs);
    idle.unref();
    this.entries.set(client, { session, idle });
    return true;
  }

  touch(client: string): void {
    this.entries.get(client)?.idle.refresh();
  }

  remove(client: string): void {
    const e = this.entries.get(client);
    if (!e) return;
    this.entries.delete(client);
    clearTimeout(e.idle);
    e.session.close();
  }

  /** Ends every session whose endpoint `gone` says has left the Service. */
  closeWhere(gone: (backend: string) => boolean): void {
    for (const [client, e] of this.entries) if (gone(e.session.backend)) this.remove(client);
  }

  closeAll(): void {
    for (const client of [...this.entries.keys()]) this.remove(client);
  }

  size(): number {
    return this.entries.size;
  }
}
