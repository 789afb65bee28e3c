// Sends one request through the WAGI path (node:http server, the WASI preview1 host, an
// instance, CGI parsing) while the Worker waits in the pool.
// Why: each Worker is a fresh V8 isolate, so the first request a container serves would
// otherwise pay for compiling all that code — about 25 ms on this machine, twice over: its first
// readiness probe, then the request that scaled it from zero. Warmed, both take 1-3 ms.
// The server listens on an ephemeral loopback port and is closed before the Worker takes a job
// that needs it; a failure only means a colder first request, so it is ignored.
import { createServer, get } from 'node:http';
import { close, listen, WagiServer } from './wagi.js';

const text = (s: string) => [...Buffer.from(s)];
const section = (id: number, body: number[]) => [id, body.length, ...body];
const name = (s: string) => [s.length, ...text(s)];

/** What the module prints: a CGI header block and a body. */
const OUTPUT = 'content-type: text/plain\n\nok\n';

/**
 * A WASI command that writes OUTPUT to stdout with one fd_write. Memory: the iovec at 0
 * (pointer 16, length), fd_write's written count at 8, OUTPUT at 16.
 */
export function warmUpModule(): WebAssembly.Module {
  const i32 = 0x7f;
  const data = [16, 0, 0, 0, OUTPUT.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...text(OUTPUT)];
  // fd_write(fd 1, iovs 0, iovs_len 1, nwritten 8); drop the errno
  const start = [0x00, 0x41, 1, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a, 0x0b];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [2, 0x60, 4, i32, i32, i32, i32, 1, i32, 0x60, 0, 0]),
    ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('fd_write'), 0x00, 0]),
    ...section(3, [1, 1]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('_start'), 0x00, 1]),
    ...section(10, [1, start.length, ...start]),
    ...section(11, [1, 0, 0x41, 0, 0x0b, data.length, ...data]),
  ];
  return new WebAssembly.Module(Uint8Array.from(bytes));
}

export async function warmUpWagi(): Promise<void> {
  const address = { host: '127.0.0.1', port: 0 };
  const wagi = new WagiServer({ args: [], env: [], preopens: [] }, warmUpModule(), { write: () => undefined });
  const server = createServer((req, res) => void wagi.handle(req, res, address));
  try {
    await listen(server, address);
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve, reject) => {
      get({ host: address.host, port, path: '/healthz', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
  } catch {
    // A colder first request, nothing worse.
  } finally {
    await close(server);
  }
}
