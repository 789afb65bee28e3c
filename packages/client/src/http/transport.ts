// Transport: one HTTP exchange with the apiserver, over Node's global fetch (undici), which keeps
// connections alive and reuses them across requests.
//
// Contract:
// - Every request carries `User-Agent`, `Accept: application/json` (unless overridden) and, when
//   configured, `Authorization: Bearer TOKEN`. JSON bodies are serialised here.
// - A non-2xx answer throws `ApiError` carrying the server's `Status`; when the body is not a
//   Status (a proxy's HTML page, an empty 502) a Failure Status is synthesised from the HTTP code.
// - A connection failure throws `TransportError` (with the underlying error as `cause`).
// - `timeoutMs` (default 30 s) bounds the whole exchange, body included, for ordinary requests;
//   streaming requests (watch, follow logs) pass `timeoutMs: 0` and are bounded only by `signal`.
import { ApiError, failureStatus, reasonForCode } from '@kite/apimachinery';
import type { Status } from '@kite/api-types';
import { queryString, type QueryValue } from './paths.js';

/** Default bound on a non-streaming request. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'kite-client/0.1.0';

export interface TransportOptions {
  /** Base URL of the apiserver, e.g. `http://127.0.0.1:6443`. */
  server: string;
  token?: string;
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

export class Transport {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(opts: TransportOptions) {
    this.base = opts.server.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.headers = { 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT };
    if (opts.token) this.headers.authorization = `Bearer ${opts.token}`;
  }

  /** Sends the request; resolves with a 2xx response whose body is not yet read. */
  async send(req: HttpRequest): Promise<Response> {
    const url = `${this.base}${req.path}${queryString(req.query)}`;
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
      res = await fetch(url, { method: req.method, headers, body, signal });
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
