// The CGI half of WAGI: request → environment variables, guest stdout → HTTP response.
// Follows the WAGI conventions (deislabs/wagi): CGI/1.1 variables plus X_FULL_URL,
// X_MATCHED_ROUTE and HTTP_<HEADER>; the guest prints headers, a blank line, then the body,
// and may set the status with a `status:` header (a `location:` header alone means 302).
import type { IncomingMessage } from 'node:http';

export interface CgiResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** Headers a guest may not set: the server owns framing. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'status']);

export function cgiEnvironment(request: IncomingMessage, host: string, port: number, bodyLength: number): Array<[string, string]> {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? `${host}:${port}`}`);
  const env: Array<[string, string]> = [
    ['GATEWAY_INTERFACE', 'CGI/1.1'],
    ['SERVER_SOFTWARE', 'kite-wagi'],
    ['SERVER_PROTOCOL', `HTTP/${request.httpVersion}`],
    ['SERVER_NAME', host],
    ['SERVER_PORT', String(port)],
    ['REQUEST_METHOD', request.method ?? 'GET'],
    ['SCRIPT_NAME', ''],
    ['PATH_INFO', url.pathname],
    ['X_RAW_PATH_INFO', url.pathname],
    ['PATH_TRANSLATED', url.pathname],
    ['QUERY_STRING', url.search.replace(/^\?/, '')],
    ['X_FULL_URL', url.href],
    ['X_MATCHED_ROUTE', '/...'],
    ['REMOTE_ADDR', request.socket.remoteAddress ?? ''],
    ['REMOTE_HOST', request.socket.remoteAddress ?? ''],
    ['CONTENT_LENGTH', String(bodyLength)],
    ['CONTENT_TYPE', request.headers['content-type'] ?? ''],
  ];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    env.push([`HTTP_${name.toUpperCase().replace(/-/g, '_')}`, Array.isArray(value) ? value.join(', ') : value]);
  }
  return env;
}

function headerEnd(output: Buffer): { at: number; skip: number } | undefined {
  const crlf = output.indexOf('\r\n\r\n');
  const lf = output.indexOf('\n\n');
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { at: lf, skip: 2 };
  if (crlf >= 0) return { at: crlf, skip: 4 };
  return undefined;
}

/** Parses a guest's CGI output; undefined when it printed no header block. */
export function parseCgiOutput(output: Buffer): CgiResponse | undefined {
  const end = headerEnd(output);
  if (!end) return undefined;
  let status = 200;
  let sawLocation = false;
  let sawStatus = false;
  const headers: Array<[string, string]> = [];
  for (const line of output.subarray(0, end.at).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const lower = name.toLowerCase();
    if (lower === 'status') {
      status = Number.parseInt(value, 10) || 500;
      sawStatus = true;
    }
    if (lower === 'location') sawLocation = true;
    if (!HOP_BY_HOP.has(lower)) headers.push([name, value]);
  }
  if (sawLocation && !sawStatus) status = 302;
  return { status, headers, body: output.subarray(end.at + end.skip) };
}
