// The HTTP side of the load generator: an undici Pool with one keep-alive connection per
// concurrent client (no pipelining, as real API clients do), and helpers that fail loudly on an
// unexpected status so a phase never counts errors as throughput.
import { Pool } from 'undici';

type Method = 'GET' | 'POST' | 'PUT';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const ACCEPT_JSON = { accept: 'application/json' };

export class ApiClient {
  private readonly pool: Pool;

  constructor(baseUrl: string, connections: number) {
    // keepAliveTimeout well above any pause between phases, so every phase reuses warm sockets.
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  /** Sends a request and returns the body as text; throws unless the status is `expect`. */
  async text(method: Method, path: string, expect: number, body?: string): Promise<string> {
    const res = await this.pool.request({ method, path, headers: body === undefined ? ACCEPT_JSON : JSON_HEADERS, ...(body !== undefined ? { body } : {}) });
    const text = await res.body.text();
    if (res.statusCode !== expect) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`);
    return text;
  }

  /**
   * Sends a request and reads the body without decoding it (large lists), returning its size.
   * Reading to the end keeps the connection reusable; decoding would only add client CPU.
   */
  async drain(method: Method, path: string, expect: number): Promise<number> {
    const res = await this.pool.request({ method, path, headers: ACCEPT_JSON });
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
