// Data at rest: Redis requires a password (the apiserver gets it from the environment, never argv),
// and Secrets are sealed by the EncryptionConfiguration's first provider. The stored value holds
// no plaintext, and a key rotates (new key first, rewrite, drop the old one) without a Secret
// becoming unreadable.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';

const PASSWORD = randomBytes(16).toString('hex');
const PLAINTEXT = 'hunter2-top-secret';
const dir = mkdtempSync(join(tmpdir(), 'kite-at-rest-'));
const key = (n: number) => randomBytes(n).toString('base64');
const KEYS = { key1: key(32), key2: key(32), box: key(32) };

function encryptionConfig(name: string, providers: string[]): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers.map((p) => `      - ${p}\n`).join('')}`);
  return path;
}
const aesgcm = (name: keyof typeof KEYS) => `aesgcm: {keys: [{name: ${name}, secret: "${KEYS[name]}"}]}`;
const secretbox = (name: keyof typeof KEYS) => `secretbox: {keys: [{name: ${name}, secret: "${KEYS[name]}"}]}`;

let redis: RedisHandle;
let raw: Redis;
let api: ApiServerHandle | undefined;

async function startWith(config: string): Promise<ApiServerHandle> {
  await api?.stop();
  api = await startApiServerProcess(redis.url, ['--encryption-provider-config', config], undefined, { REDIS_PASSWORD: PASSWORD });
  return api;
}

async function call(method: string, path: string, body?: unknown) {
  const a = api as ApiServerHandle;
  const fetch = await a.fetcher(ADMIN);
  const res = await fetch(`${a.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, string>; metadata?: { resourceVersion?: string }; items?: unknown[]; message?: string } };
}

const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, annotations: { note: PLAINTEXT } }, stringData: { password: PLAINTEXT } });
const stored = async (name: string) => (await raw.get(`/registry/secrets/default/${name}`)) ?? '';
const b64 = Buffer.from(PLAINTEXT).toString('base64');

beforeAll(async () => {
  redis = await startRedis({ password: PASSWORD });
  raw = new Redis(redis.url, { password: PASSWORD, lazyConnect: true });
  await raw.connect();
}, 30_000);
afterAll(async () => {
  raw?.disconnect();
  await api?.stop();
  await redis?.destroy();
});

describe('Redis', () => {
  it('refuses clients without the password', async () => {
    const anon = new Redis(redis.url, { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    anon.on('error', () => undefined);
    await anon.connect();
    await expect(anon.get('/registry/~rev')).rejects.toThrow(/NOAUTH/);
    anon.disconnect();
  });
});

describe('Secrets encrypted at rest', () => {
  it('stores no plaintext, and serves the Secret decrypted to reads, lists and watches', async () => {
    await startWith(encryptionConfig('one', [aesgcm('key1')]));
    expect((await call('POST', '/api/v1/namespaces/default/secrets', secret('s1'))).status).toBe(201);
    const value = await stored('s1');
    expect(value).toContain('"k8s:enc":"k8s:enc:aesgcm:v1:key1:');
    expect(value).not.toContain(PLAINTEXT);
    expect(value).not.toContain(b64);
    const got = await call('GET', '/api/v1/namespaces/default/secrets/s1');
    expect(got.body.data?.password).toBe(b64);
    const list = await call('GET', '/api/v1/namespaces/default/secrets');
    expect(JSON.stringify(list.body.items)).toContain(b64);
    // The change stream holds the sealed value too.
    const events = JSON.stringify(await raw.xrange('/registry/~events', '-', '+'));
    expect(events).not.toContain(b64);
    const a = api as ApiServerHandle;
    const fetch = await a.fetcher(ADMIN);
    const watch = await fetch(`${a.url}/api/v1/namespaces/default/secrets?watch=true&resourceVersion=0&timeoutSeconds=1`);
    expect(await watch.text()).toContain(b64);
  });

  it('keeps every Secret readable while the key rotates, and other objects stay plain', async () => {
    await startWith(encryptionConfig('one', [aesgcm('key1')]));
    expect((await call('POST', '/api/v1/namespaces/default/secrets', secret('s2'))).status).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'visible' } })).status).toBe(201);
    expect(await raw.get('/registry/configmaps/default/cm')).toContain('visible');

    // 1. The new key first; the old one still reads.
    await startWith(encryptionConfig('two', [secretbox('box'), aesgcm('key1')]));
    expect((await call('GET', '/api/v1/namespaces/default/secrets/s2')).body.data?.password).toBe(b64);
    // 2. Rewrite every Secret: each is now sealed with the new key.
    for (const name of ['s1', 's2']) {
      const cur = await call('GET', `/api/v1/namespaces/default/secrets/${name}`);
      expect((await call('PUT', `/api/v1/namespaces/default/secrets/${name}`, cur.body)).status).toBe(200);
      expect(await stored(name)).toContain('"k8s:enc":"k8s:enc:secretbox:v1:box:');
    }
    // 3. Drop the old key: everything still reads.
    await startWith(encryptionConfig('three', [secretbox('box')]));
    for (const name of ['s1', 's2']) expect((await call('GET', `/api/v1/namespaces/default/secrets/${name}`)).body.data?.password).toBe(b64);
  });

  it('cannot read a Secret whose key it was not given (an error, never ciphertext)', async () => {
    await startWith(encryptionConfig('wrong', [aesgcm('key2')]));
    const r = await call('GET', '/api/v1/namespaces/default/secrets/s1');
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('k8s:enc:');
  });
});
