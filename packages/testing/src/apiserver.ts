// Starts a real apiserver process against a given Redis, on a free loopback port.
import { freePort } from './ports.js';
import { startApp, waitHttpOk, type AppProcess } from './process.js';

export interface ApiServerHandle extends AppProcess {
  url: string;
  port: number;
  /** Starts the process again on the same port (after stop or kill). */
  restart(): Promise<ApiServerHandle>;
}

export async function startApiServerProcess(redisUrl: string, extraArgs: string[] = [], port?: number): Promise<ApiServerHandle> {
  const p = port ?? (await freePort());
  const proc = startApp('apiserver', ['--port', String(p), '--bind-address', '127.0.0.1', '--redis-url', redisUrl, ...extraArgs]);
  const url = `http://127.0.0.1:${p}`;
  await waitHttpOk(`${url}/readyz`, proc);
  return {
    ...proc,
    url,
    port: p,
    restart: () => startApiServerProcess(redisUrl, extraArgs, p),
  };
}
