// A small HTTP client for tests: one fresh connection per request (no pooling surprises), an
// optional local address to play different clients, and a raw upgrade handshake for WebSockets.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  localAddress?: string;
  timeoutMs?: number;
}

/** Default time a test request may take. */
const REQUEST_TIMEOUT_MS = 5000;

export function httpRequest(url: string, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress, agent: false, timeout: opts.timeoutMs ?? REQUEST_TIMEOUT_MS },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs ?? REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Sends an upgrade request on a raw socket, then `message`; resolves with everything read until
 * the echo of `message` arrived (or the socket closed).
 */
export function upgradeExchange(host: string, port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`upgrade exchange timed out; got ${JSON.stringify(text)}`));
    }, REQUEST_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    socket.on('connect', () => socket.write(`GET /ws HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`));
    socket.on('data', (d: Buffer) => {
      const first = text === '';
      text += d.toString();
      if (first && text.startsWith('HTTP/1.1 101')) socket.write(message);
      if (text.includes(`:${message}`)) done();
    });
    socket.on('close', done);
    socket.on('error', reject);
  });
}
