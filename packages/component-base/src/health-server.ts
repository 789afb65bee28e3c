// Every component's own endpoints (BRIEF §6): /healthz (alive), /readyz (the component's own
// notion of ready), /metrics (Prometheus text) and any JSON status pages the caller adds (the proxy's
// /listeners). Plain node:http: a handful of routes needs no framework.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  host: string;
  port: number;
  registry: Registry;
  ready: () => boolean;
  /** Extra GET routes answering JSON, e.g. `/listeners`. */
  json?: Record<string, () => unknown>;
}

export async function startHealthServer(opts: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (path === '/healthz' || path === '/livez') return send(200, 'ok');
    if (path === '/readyz') return opts.ready() ? send(200, 'ok') : send(503, 'caches not synced');
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => send(200, text, opts.registry.contentType),
        (err: unknown) => send(500, String(err)),
      );
      return;
    }
    const page = opts.json?.[path];
    if (page) return send(200, `${JSON.stringify(page(), null, 2)}\n`, 'application/json');
    send(404, 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
