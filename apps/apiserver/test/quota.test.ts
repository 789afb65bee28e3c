// ResourceQuota under contention: two apiserver processes share one Redis, and 50 pod creates race
// through both at once against `pods: 10`. Exactly 10 are admitted, every other one gets 403
// `exceeded quota`, and `status.used` says 10. Plus the refusals for requests a quota demands.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';

let redis: RedisHandle;
let a: ApiServerHandle;
let b: ApiServerHandle;

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([startApiServerProcess(redis.url), startApiServerProcess(redis.url)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.destroy();
});

async function post(api: ApiServerHandle, path: string, body: unknown) {
  const fetch = await api.fetcher(ADMIN);
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { message?: string; reason?: string; status?: { used?: Record<string, string> } } };
}

const pod = (name: string, resources?: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'hello.wasm', ...(resources ? { resources } : {}) }] } });

it('admits exactly as many pods as the quota allows when 50 race through two apiservers', async () => {
  expect((await post(a, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quota' } })).status).toBe(201);
  expect((await post(a, '/api/v1/namespaces/quota/resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods' }, spec: { hard: { pods: '10' } } })).status).toBe(201);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 === 0 ? a : b, '/api/v1/namespaces/quota/pods', pod(`p-${i}`))));
  const admitted = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status !== 201);
  expect(admitted).toHaveLength(10);
  expect(refused).toHaveLength(40);
  for (const r of refused) {
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('Forbidden');
    expect(r.body.message).toMatch(/^pods "p-\d+" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10$/);
  }
  const fetch = await a.fetcher(ADMIN);
  const quota = (await (await fetch(`${a.url}/api/v1/namespaces/quota/resourcequotas/pods`)).json()) as { status?: { used?: Record<string, string> } };
  expect(quota.status?.used).toEqual({ pods: '10' });
  const pods = (await (await fetch(`${b.url}/api/v1/namespaces/quota/pods`)).json()) as { items: unknown[] };
  expect(pods.items).toHaveLength(10);
}, 60_000);

it.each([
  { name: 'a pod without the requests a compute quota tracks', resources: undefined, message: 'pods "needs" is forbidden: failed quota: compute: must specify requests.cpu for: c' },
  { name: 'a pod asking for more CPU than is left', resources: { requests: { cpu: '3' } }, message: 'pods "needs" is forbidden: exceeded quota: compute, requested: requests.cpu=3, used: requests.cpu=0, limited: requests.cpu=2' },
])('refuses $name', async ({ resources, message }) => {
  await post(a, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'compute' } });
  await post(a, '/api/v1/namespaces/compute/resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2' } } });
  const r = await post(b, '/api/v1/namespaces/compute/pods', pod('needs', resources));
  expect(r.status).toBe(403);
  expect(r.body.message).toBe(message);
});
