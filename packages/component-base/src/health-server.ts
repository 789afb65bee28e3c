// Every component's own endpoints (BRIEF §6), as Kubernetes' components serve them: /healthz and
// /livez (alive), /readyz (the component's own notion of ready), /metrics (Prometheus text),
// /configz (the effective configuration, configz.ts) when the component gives one, and any JSON
// status pages the caller adds (the proxy's /listeners). Plain node:http: a handful of read-only
// routes needs no framework.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { configzDocument, type Configz } from './configz.js';

export interface HealthServerOptions {
  host: string;
  port: number;
  registry: Registry;
  ready: () => boolean;
  /** What /readyz says while not ready. */
  notReadyMessage?: string;
  /** The effective configuration served at /configz; without it /configz is 404. */
  configz?: Configz;
  /** Extra GET routes answering JSON, e.g. `/listeners`. */
  json?: Record<string, () => unknown>;
}

/** Listens on host:port; `server.address()` tells the port when 0 asked for any free one. */
export async function startHealthServer(opts: HealthServerOptions): Promise<Server> {
  const configz = opts.configz;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    if (path === '/healthz' || path === '/livez') return send(200, 'ok');
    if (path === '/readyz') return opts.ready() ? send(200, 'ok') : send(503, opts.notReadyMessage ?? 'caches not synced');
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => send(200, text, opts.registry.contentType),
        (err: unknown) => send(500, err instanceof Error ? err.message : String(err)),
      );
      return;
    }
    const page = path === '/configz' && configz ? () => configzDocument(configz) : opts.json?.[path];
    if (!page) return send(404, 'not found');
    try {
      send(200, `${JSON.stringify(page(), null, 2)}\n`, 'application/json');
    } catch (err) {
      send(500, err instanceof Error ? err.message : String(err));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}

/** The port a started server listens on. */
export function serverPort(server: Server): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}

/** Ends open connections (keep-alive ones too) and closes the server. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
