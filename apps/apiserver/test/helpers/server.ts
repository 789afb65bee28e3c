// Starts a real redis-server and an in-process apiserver on free loopback ports for a test file,
// and a small HTTP helper that returns status and parsed body.
import { pino } from 'pino';
import { freePort, startRedis, type RedisHandle } from '@kite/testing';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../../src/server.js';

export interface TestServer {
  redis: RedisHandle;
  server: RunningApiServer;
  url: string;
  api: Api;
  stop(): Promise<void>;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export type Api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType?: string) => Promise<ApiResponse<T>>;

export function apiClient(base: string): Api {
  return async <T>(method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const init: RequestInit = { method, headers: {} };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': contentType };
    }
    const res = await fetch(base + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  };
}

export async function startTestServer(opts: Partial<ApiServerOptions> = {}, redis?: RedisHandle): Promise<TestServer> {
  const r = redis ?? (await startRedis());
  const server = await startApiServer({
    redisUrl: r.url,
    port: await freePort(),
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    ...opts,
  });
  return {
    redis: r,
    server,
    url: server.url,
    api: apiClient(server.url),
    stop: async () => {
      await server.close();
      if (!redis) await r.destroy();
    },
  };
}
