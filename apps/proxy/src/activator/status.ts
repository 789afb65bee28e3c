// The activator's refusals: 503 with a Kubernetes Status body (kind Status, status Failure,
// reason ServiceUnavailable, code 503, a message naming the Service and why), so a client — or a
// person reading curl's output — sees the same error shape the rest of the cluster speaks. On a
// normal response, or written raw on the socket of an upgrade request that never reached a pod.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from '@kite/api-types';
import { failureStatus } from '@kite/apimachinery';

export const STATUS_CODE_UNAVAILABLE = 503;
const JSON_TYPE = 'application/json';

export function unavailableStatus(message: string): Status {
  return failureStatus(STATUS_CODE_UNAVAILABLE, 'ServiceUnavailable', message);
}

export function statusResponse(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(status);
  res.writeHead(status.code ?? STATUS_CODE_UNAVAILABLE, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function rawStatusResponse(socket: Duplex, status: Status): void {
  if (!socket.writable) return;
  const code = status.code ?? STATUS_CODE_UNAVAILABLE;
  const body = JSON.stringify(status);
  const head = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`, `content-type: ${JSON_TYPE}`, `content-length: ${Buffer.byteLength(body)}`, 'connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
