// In-process HTTP backends standing in for pods in the proxy's own tests: each answers with its
// name, and offers what the tests probe — the X-Forwarded-For it saw, a slow response, an echo of
// the request body, and a WebSocket-style upgrade that echoes bytes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

export interface TestBackend {
  name: string;
  ip: string;
  port: number;
  /** Requests received. */
  hits: number;
  lastHeaders: IncomingMessage['headers'] | undefined;
  /** Paths of the requests received, in order. */
  paths: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

function onUpgrade(name: string, socket: Duplex): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nx-backend: ${name}\r\n\r\n`);
  socket.on('data', (d: Buffer) => socket.write(`${name}:${d.toString()}`));
}

export async function startBackend(name: string, ip: string, port: number): Promise<TestBackend> {
  const b: TestBackend = { name, ip, port, hits: 0, lastHeaders: undefined, paths: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    b.hits++;
    b.lastHeaders = req.headers;
    b.paths.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/slow') {
      setTimeout(() => res.end(`${name} slow\n`), Number(url.searchParams.get('ms') ?? 200));
      return;
    }
    if (url.pathname === '/echo') {
      void readBody(req).then((body) => res.end(`${name}:${body}`));
      return;
    }
    res.end(`${name}\n`);
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    onUpgrade(name, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  b.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
      server.close(() => resolve());
    });
  return b;
}
