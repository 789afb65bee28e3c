// The request a pooled Worker serves to itself before it gets a job (worker/warm-up.ts): it has
// to go the whole WAGI path, or the warm-up would only warm the error branch.
import { createServer, get, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { close, listen, WagiServer } from '../../src/runtime/wasm/worker/wagi.js';
import { warmUpModule, warmUpWagi } from '../../src/runtime/wasm/worker/warm-up.js';

function fetchText(port: number): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    }).on('error', reject);
  });
}

describe('wasm worker warm-up', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it('serves its module through the WAGI handler as a 200 with a CGI body', async () => {
    const stderr: string[] = [];
    const address = { host: '127.0.0.1', port: 0 };
    const wagi = new WagiServer({ args: [], env: [], preopens: [] }, warmUpModule(), { write: (_s, b) => stderr.push(Buffer.from(b).toString()) });
    const s = (server = createServer((req, res) => void wagi.handle(req, res, address)));
    await listen(s, address);
    const res = await fetchText((s.address() as { port: number }).port);
    expect(res).toEqual({ status: 200, type: 'text/plain', body: 'ok\n' });
    expect(stderr).toEqual([]);
  });

  it('finishes without leaving a listener behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    await warmUpWagi();
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length).toBe(before);
  });
});
