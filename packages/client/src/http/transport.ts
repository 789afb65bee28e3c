// Transport: one HTTP exchange with the apiserver, over undici's fetch, which keeps connections
// alive and reuses them across requests (one pool per TLS identity, see pool.ts).
//
// Contract:
// - Every request carries `User-Agent`, `Accept: application/json` (unless overridden) and, when
//   configured, `Authorization: Bearer TOKEN` (a token, or one read from a file and re-read every
//   minute, so rotated ServiceAccount tokens are picked up). JSON bodies are serialised here.
// - `https://` servers are verified against `tls.ca` (the kubeconfig's certificate authority);
//   `tls.cert`/`tls.key` authenticate the client with an X.509 certificate.
// - A non-2xx answer throws `ApiError` carrying the server's `Status`; when the body is not a
//   Status (a proxy's HTML page, an empty 502) a Failure Status is synthesised from the HTTP code.
// - A connection failure throws `TransportError` (with the underlying error as `cause`).
// - `timeoutMs` (default 30 s) bounds the whole exchange, body included, for ordinary requests;
//   streaming requests (watch, follow logs) pass `timeoutMs: 0` and are bounded only by `signal`.
import { ApiError, failureStatus, reasonForCode } from '@kite/apimachinery';
import type { Status } from '@kite/api-types';
import { readFileSync } from 'node:fs';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { queryString, type QueryValue } from './paths.js';
import { dispatcherFor, type TlsOptions } from './pool.js';

/** Default bound on a non-streaming request. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'kite-client/0.1.0';

export interface TransportOptions {
  /** Base URL of the apiserver, e.g. `https://127.0.0.1:6443`. */
  server: string;
  token?: string;
  /** A file holding the bearer token (a projected ServiceAccount token); re-read every minute. */
  tokenFile?: string;
  tls?: TlsOptions;
  userAgent?: string;
  timeoutMs?: number;
}

export interface HttpRequest {
  method: string;
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** A JSON-serialisable value, or a string sent as is. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** Overrides the client's timeout; 0 means none (for streams). */
  timeoutMs?: number;
}

/** The server could not be reached, or the connection broke. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

/** How long a token read from a file is used before the file is read again (as client-go). */
const TOKEN_FILE_REFRESH_MS = 60_000;

export class Transport {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly tokenFile: string | undefined;
  private tokenReadAt = 0;

  constructor(opts: TransportOptions) {
    this.base = opts.server.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.headers = { 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT };
    if (opts.token) this.headers.authorization = `Bearer ${opts.token}`;
    this.tokenFile = opts.token ? undefined : opts.tokenFile;
    this.dispatcher = this.base.startsWith('https:') ? dispatcherFor(opts.tls ?? {}) : undefined;
  }

  private refreshToken(): void {
    if (!this.tokenFile || Date.now() - this.tokenReadAt < TOKEN_FILE_REFRESH_MS) return;
    const token = readFileSync(this.tokenFile, 'utf8').trim();
    this.tokenReadAt = Date.now();
    if (token) this.headers.authorization = `Bearer ${token}`;
  }

  /** Sends the request; resolves with a 2xx response whose body is not yet read. */
  async send(req: HttpRequest): Promise<Response> {
    const url = `${this.base}${req.path}${queryString(req.query)}`;
    this.refreshToken();
    const headers: Record<string, string> = { ...this.headers, accept: req.accept ?? 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const signals = [req.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    let res: Response;
    try {
      // undici's own fetch: the Node-bundled one may not accept this undici's dispatcher.
      res = (await undiciFetch(url, { method: req.method, headers, body, signal, ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}) })) as unknown as Response;
    } catch (err) {
      if (req.signal?.aborted) throw err;
      throw new TransportError(`${req.method} ${url}: ${describe(err)}`, { cause: err });
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  /** Sends the request and parses the JSON answer. */
  async json(req: HttpRequest): Promise<unknown> {
    const res = await this.send(req);
    const text = await res.text();
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  /** Sends the request and returns the answer as text. */
  async text(req: HttpRequest): Promise<string> {
    const res = await this.send(req);
    return res.text();
  }
}

/** The message of an error and of its causes: fetch hides ECONNREFUSED one level down. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${e.message} (${code})` : e.message);
  }
  return parts.length === 0 ? String(err) : parts.join(': ');
}

export function isStatus(x: unknown): x is Status {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'Status' && typeof (x as { code?: unknown }).code === 'number';
}

/** An ApiError from a non-2xx response: the server's Status, or one made up from the HTTP code. */
async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isStatus(parsed)) return ApiError.fromStatus(parsed);
  } catch {
    // not JSON: fall through
  }
  const message = text.trim() === '' ? `the server responded with HTTP ${res.status} ${res.statusText}`.trim() : text.trim().slice(0, 1000);
  return new ApiError(failureStatus(res.status, reasonForCode(res.status), message));
}
