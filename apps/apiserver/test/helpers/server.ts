// Starts a real redis-server and an in-process apiserver on free loopback ports for a test file,
// over HTTPS with the test PKI, and a small HTTP helper that returns status and parsed body (as
// the cluster admin unless told otherwise).
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { ADMIN, APISERVER_KUBELET_CLIENT, freePort, startRedis, testPki, type Identity, type RedisHandle, type TestPki } from '@kite/testing';
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

/** Requests as `identity` (default: the cluster admin; `null`: no credentials). */
export function apiClient(base: string, identity: Identity | null = ADMIN, headers: Record<string, string> = {}): Api {
  return async <T>(method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const fetch = await (await testPki()).fetcher(identity ?? undefined);
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { ...headers, 'content-type': contentType };
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

/** The TLS and authentication settings that point an in-process apiserver at the test PKI. */
export function securityOptions(pki: TestPki): Pick<ApiServerOptions, 'tls' | 'authentication' | 'serviceAccountSigningKeyFile'> {
  const read = (p: string) => readFileSync(p, 'utf8');
  return {
    tls: { cert: read(pki.files.apiserverCert), key: read(pki.files.apiserverKey), clientCa: pki.ca },
    authentication: {
      clientCertificates: true,
      serviceAccountKeyFiles: [pki.files.serviceAccountPub],
      serviceAccountIssuer: 'https://kubernetes.default.svc.cluster.local',
      bootstrapTokens: true,
      anonymous: true,
    },
    serviceAccountSigningKeyFile: pki.files.serviceAccountKey,
  };
}

export async function startTestServer(opts: Partial<ApiServerOptions> = {}, redis?: RedisHandle): Promise<TestServer> {
  const r = redis ?? (await startRedis());
  const pki = await testPki();
  const kubeletClient = await pki.credentials(APISERVER_KUBELET_CLIENT);
  const server = await startApiServer({
    redisUrl: r.url,
    port: await freePort(),
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    ...securityOptions(pki),
    kubeletClient: { ...kubeletClient, ca: pki.ca },
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
