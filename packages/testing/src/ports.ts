// Free TCP ports on loopback for servers started by tests. Ports come from 20000–32767, below
// Linux's range for outgoing connections (32768–60999), so a server restarted on "its" port never
// finds it taken by some client's ephemeral port meanwhile.
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

const LOW = 20_000;
const HIGH = 32_767;
const ATTEMPTS = 200;

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** A port on `host` that was free a moment ago. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const port = randomInt(LOW, HIGH + 1);
    if (await tryListen(port, host)) return port;
  }
  throw new Error(`no free port found on ${host} in ${LOW}-${HIGH}`);
}
