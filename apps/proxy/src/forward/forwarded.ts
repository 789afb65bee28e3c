// X-Forwarded-* headers, set once per client request before the first attempt.
//
// Why not http-proxy's `xfwd`: it appends on every call to `web()`, so a retried request would
// carry the client's address twice. Existing values from earlier proxies are kept and extended,
// as every proxy in a chain does.
import type { IncomingMessage } from 'node:http';

function append(req: IncomingMessage, name: string, value: string): void {
  const prev = req.headers[name];
  const text = Array.isArray(prev) ? prev.join(', ') : prev;
  req.headers[name] = text ? `${text}, ${value}` : value;
}

export function setForwardedHeaders(req: IncomingMessage): void {
  const socket = req.socket;
  append(req, 'x-forwarded-for', socket.remoteAddress ?? '');
  append(req, 'x-forwarded-port', String(socket.localPort ?? ''));
  append(req, 'x-forwarded-proto', 'http');
  if (req.headers['x-forwarded-host'] === undefined && req.headers.host !== undefined) req.headers['x-forwarded-host'] = req.headers.host;
}
