// The scheduler's own HTTP endpoints (BRIEF §6): /healthz (the process is alive), /readyz (the
// caches have synced; a standby is ready too — it is waiting for the lease, not broken) and
// /metrics in Prometheus text format. Plain node:http: three routes need no framework.
import { createServer, type Server } from 'node:http';
import type { Registry } from '@kite/component-base';

export interface HealthServerOptions {
  port: number;
  host: string;
  registry: Registry;
  ready: () => boolean;
}

export async function startHealthServer(opts: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
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
    send(404, 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
