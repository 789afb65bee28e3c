// The driver's pod creates over node:https with a keep-alive agent and the admin's client
// certificate. The scheduler's own KeepAliveWriter (src/http) speaks plain HTTP only, and the
// typed client's fetch costs the driver about four times the CPU per POST (see that file): on two
// cores the driver must not be what limits the run.
import { Agent, request } from 'node:https';
import { ApiError, failureStatus, reasonForCode } from '@kite/apimachinery';
import type { TestConnection } from '@kite/testing';

/** Sockets to the apiserver: above the driver's create concurrency. */
const MAX_SOCKETS = 96;
const TIMEOUT_MS = 30_000;

export class HttpsPoster {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(conn: TestConnection) {
    this.url = new URL(conn.server);
    this.agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ca: conn.tls.ca, ...(conn.tls.cert !== undefined ? { cert: conn.tls.cert } : {}), ...(conn.tls.key !== undefined ? { key: conn.tls.key } : {}) });
  }

  /** POSTs `body` as JSON; resolves on 2xx, rejects with ApiError otherwise (so retries can tell). */
  post(path: string, body: unknown): Promise<void> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: 'POST',
          agent: this.agent,
          timeout: TIMEOUT_MS,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), accept: 'application/json', 'user-agent': 'kite-scheduler-bench' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('error', reject);
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve();
            else reject(new ApiError(failureStatus(code, reasonForCode(code), text.slice(0, 1000))));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`POST ${path}: no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
