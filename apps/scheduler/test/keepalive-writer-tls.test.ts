// The scheduler's keep-alive writer over HTTPS against a real apiserver: it trusts the cluster CA,
// presents the client certificate it is given (so the apiserver authenticates and authorizes
// it), and surfaces a refusal as the apiserver's Status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '@kite/apimachinery';
import { ADMIN, startApiServerProcess, startRedis, testUser, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { KeepAliveWriter } from '../src/http/keepalive-writer.js';

let redis: RedisHandle;
let api: ApiServerHandle;
beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServerProcess(redis.url);
}, 30_000);
afterAll(async () => {
  await api?.stop();
  await redis?.destroy();
});

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

describe('KeepAliveWriter over HTTPS', () => {
  it('writes with the client certificate it is given', async () => {
    const conn = await api.connection(ADMIN);
    const w = new KeepAliveWriter({ server: conn.server, userAgent: 'kite-scheduler-test', tls: conn.tls });
    const created = (await w.post('/api/v1/namespaces/default/configmaps', configMap('via-writer'))) as { metadata?: { uid?: string } };
    expect(created.metadata?.uid).toBeTruthy();
    const patched = (await w.patch('/api/v1/namespaces/default/configmaps/via-writer', { data: { a: '2' } }, 'application/merge-patch+json')) as { data?: Record<string, string> };
    expect(patched.data).toEqual({ a: '2' });
    w.close();
  });

  it("turns the apiserver's 401 and 403 into ApiErrors with its message", async () => {
    const anonymous = new KeepAliveWriter({ server: api.url, userAgent: 't', tls: { ca: api.pki.ca } });
    const e401: unknown = await anonymous.post('/api/v1/namespaces/default/configmaps', configMap('x')).catch((e: unknown) => e);
    anonymous.close();
    expect(isApiError(e401) && e401.code).toBe(401);
    const nobody = await api.connection(testUser('nobody'));
    const w = new KeepAliveWriter({ server: nobody.server, userAgent: 't', tls: nobody.tls });
    const e403: unknown = await w.post('/api/v1/namespaces/default/configmaps', configMap('y')).catch((e: unknown) => e);
    w.close();
    expect(isApiError(e403) && [e403.code, e403.message]).toEqual([403, 'configmaps is forbidden: User "nobody" cannot create resource "configmaps" in API group "" in the namespace "default"']);
  });

  it('refuses a server whose certificate is not from the given CA', async () => {
    const w = new KeepAliveWriter({ server: api.url, userAgent: 't', tls: {} });
    const err: unknown = await w.post('/api/v1/namespaces/default/configmaps', configMap('z')).catch((e: unknown) => e);
    w.close();
    expect(String(err)).toMatch(/self-signed certificate|unable to verify/);
  });
});
