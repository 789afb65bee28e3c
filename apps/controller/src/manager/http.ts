// HealthServer: /healthz, /readyz and /metrics of the controller manager (BRIEF §6), on a small
// node:http server — three read-only routes do not need a framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServerOptions {
  ready: () => boolean;
  metrics: () => Promise<{ contentType: string; body: string }>;
}

export class HealthServer {
  private readonly server: Server;
  private readonly opts: HealthServerOptions;

  constructor(opts: HealthServerOptions) {
    this.opts = opts;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get port(): number | undefined {
    const addr = this.server.address();
    return addr && typeof addr === 'object' ? (addr as AddressInfo).port : undefined;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const text = (code: number, body: string) => res.writeHead(code, { 'content-type': 'text/plain' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void text(405, 'method not allowed');
    if (path === '/healthz' || path === '/livez') return void text(200, 'ok');
    if (path === '/readyz') return void (this.opts.ready() ? text(200, 'ok') : text(503, 'informers not synced'));
    if (path === '/metrics') {
      try {
        const m = await this.opts.metrics();
        return void res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
      } catch (err) {
        return void text(500, err instanceof Error ? err.message : String(err));
      }
    }
    text(404, 'not found');
  }
}
