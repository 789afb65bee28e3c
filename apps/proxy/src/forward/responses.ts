// The answers the proxy itself gives (no backend involved): short plain-text bodies, on a normal
// response or, for an upgrade request that never reached a backend, written raw on the socket.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export const PLAIN_TEXT = 'text/plain; charset=utf-8';

export function plainResponse(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'content-type': PLAIN_TEXT, 'content-length': Buffer.byteLength(message) });
  res.end(message);
}

/** An HTTP/1.1 response written on a raw socket (upgrade requests), then the socket is closed. */
export function rawResponse(socket: Duplex, code: number, message: string): void {
  if (!socket.writable) return;
  const head = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`, `content-type: ${PLAIN_TEXT}`, `content-length: ${Buffer.byteLength(message)}`, 'connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${message}`);
}
