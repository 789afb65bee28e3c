// The HTTP side of the load generator: an undici Pool with one keep-alive connection per
// concurrent client (no pipelining, as real API clients do), over TLS with a client certificate
// (or a bearer token) from the test PKI, and helpers that fail loudly on an unexpected status so
// a phase never counts errors as throughput.
import { Pool } from 'undici';
import type { TestConnection } from '@kite/testing';

type Method = 'GET' | 'POST' | 'PUT';

/** The TLS options of a Pool for `conn`: the cluster CA, and the client certificate if any. */
export function tlsConnect(conn: TestConnection): { ca: string; cert?: string; key?: string } {
  const { ca, cert, key } = conn.tls;
  return { ca, ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
}

/** Headers every request of `conn` carries besides the content headers: its bearer token, if any. */
export function authHeaders(conn: TestConnection): Record<string, string> {
  return conn.token !== undefined ? { authorization: `Bearer ${conn.token}` } : {};
}

export class ApiClient {
  private readonly pool: Pool;
  private readonly acceptJson: Record<string, string>;
  private readonly sendJson: Record<string, string>;

  constructor(conn: TestConnection, connections: number) {
    // keepAliveTimeout well above any pause between phases, so every phase reuses warm sockets
    // (and pays the TLS handshake once per connection, as a long-lived API client does).
    this.pool = new Pool(conn.server, { connections, pipelining: 1, keepAliveTimeout: 60_000, connect: tlsConnect(conn) });
    this.acceptJson = { accept: 'application/json', ...authHeaders(conn) };
    this.sendJson = { ...this.acceptJson, 'content-type': 'application/json' };
  }

  /** Sends a request and returns its status and body text, whatever the status. */
  async send(method: Method, path: string, body?: string): Promise<{ status: number; text: string }> {
    const res = await this.pool.request({ method, path, headers: body === undefined ? this.acceptJson : this.sendJson, ...(body !== undefined ? { body } : {}) });
    return { status: res.statusCode, text: await res.body.text() };
  }

  /** Sends a request and returns the body as text; throws unless the status is `expect`. */
  async text(method: Method, path: string, expect: number, body?: string): Promise<string> {
    const { status, text } = await this.send(method, path, body);
    if (status !== expect) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`);
    return text;
  }

  /**
   * Sends a request and reads the body without decoding it (large lists), returning its size.
   * Reading to the end keeps the connection reusable; decoding would only add client CPU.
   */
  async drain(method: Method, path: string, expect: number): Promise<number> {
    const res = await this.pool.request({ method, path, headers: this.acceptJson });
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    if (res.statusCode !== expect) throw new Error(`${method} ${path}: ${res.statusCode}`);
    return bytes;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The resourceVersion in a returned object, read without parsing the whole JSON. */
export function resourceVersionOf(json: string): string {
  const m = /"resourceVersion":"(\d+)"/.exec(json);
  if (!m?.[1]) throw new Error(`no resourceVersion in ${json.slice(0, 200)}`);
  return m[1];
}
