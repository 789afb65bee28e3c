// Restarts: a watcher following an apiserver process that is killed and started again resumes from
// its last resourceVersion and misses nothing (writes go through a second apiserver on the same
// Redis meanwhile); a Redis killed and restarted with AOF keeps every acknowledged write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServerProcess, startRedis, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { apiClient } from './helpers/server.js';
import { openWatch } from './helpers/watch.js';

const cms = '/api/v1/namespaces/default/configmaps';

describe('apiserver restart mid-watch', () => {
  let redis: RedisHandle;
  let watched: ApiServerHandle;
  let writer: ApiServerHandle;
  beforeAll(async () => {
    redis = await startRedis();
    [watched, writer] = await Promise.all([startApiServerProcess(redis.url), startApiServerProcess(redis.url)]);
  });
  afterAll(async () => {
    await Promise.all([watched.stop(), writer.stop()]);
    await redis.destroy();
  });

  it('resumes from the last resourceVersion and sees every event exactly once', async () => {
    const api = apiClient(writer.url);
    const created = await api<{ metadata: { resourceVersion: string } }>('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { n: '0' } });
    let lastSeen = created.body.metadata.resourceVersion;
    const seen: number[] = [];
    const written: number[] = [];
    let writing = true;

    // The follower: watch, and on any end of stream re-watch from the last revision seen.
    const follower = (async () => {
      while (writing || seen.length < written.length) {
        const w = await openWatch(`${watched.url}${cms}?watch=true&resourceVersion=${lastSeen}`).catch(() => undefined);
        if (!w) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const consumed = { n: 0 };
        const drain = () => {
          for (; consumed.n < w.events.length; consumed.n++) {
            const ev = w.events[consumed.n];
            if (ev?.type === 'MODIFIED') {
              seen.push(Number(ev.object.metadata?.resourceVersion));
              lastSeen = ev.object.metadata?.resourceVersion ?? lastSeen;
            }
          }
        };
        const timer = setInterval(drain, 5);
        await w.ended;
        clearInterval(timer);
        drain();
      }
    })();

    let obj = (await api<{ metadata: { resourceVersion: string }; data: Record<string, string> }>('GET', `${cms}/counter`)).body;
    for (let i = 1; i <= 300; i++) {
      if (i === 100) await watched.kill();
      if (i === 200) watched = await watched.restart();
      const res = await api<typeof obj>('PUT', `${cms}/counter`, { ...obj, data: { n: String(i) } });
      expect(res.status).toBe(200);
      obj = res.body;
      written.push(Number(obj.metadata.resourceVersion));
    }
    await waitFor(() => seen.length >= written.length, { timeoutMs: 20_000, message: 'the follower to catch up' });
    writing = false;
    // Close the last watch so the follower loop ends.
    await watched.kill();
    await follower;
    watched = await watched.restart();
    expect(seen).toEqual(written);
  });
});

describe.each([
  { fsync: 'always' as const, how: 'killed (SIGKILL)', stop: (r: RedisHandle) => r.kill() },
  { fsync: 'everysec' as const, how: 'shut down (SIGTERM)', stop: (r: RedisHandle) => r.stop() },
])('Redis with appendfsync $fsync $how and restarted', ({ fsync, stop }) => {
  let redis: RedisHandle;
  let server: ApiServerHandle;
  beforeAll(async () => {
    redis = await startRedis({ appendfsync: fsync });
    server = await startApiServerProcess(redis.url);
  });
  afterAll(async () => {
    await server.stop();
    await redis.destroy();
  });

  it('keeps every acknowledged write, and the apiserver reconnects', async () => {
    const api = apiClient(server.url);
    const names: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          const name = `durable-${w}-${i}`;
          const res = await api('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { w: String(w) } });
          if (res.status === 201) names.push(name);
        }
      }),
    );
    expect(names).toHaveLength(200);
    await stop(redis);
    await redis.start();
    const list = await waitFor(
      async () => {
        const res = await api<{ items: Array<{ metadata: { name: string } }> }>('GET', cms);
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 15_000, message: 'the apiserver to reconnect to Redis' },
    );
    const stored = new Set(list.items.map((i) => i.metadata.name));
    expect(names.filter((n) => !stored.has(n))).toEqual([]);
    // Writes work again after the reconnect, continuing the revision sequence.
    const after = await api<{ metadata: { resourceVersion: string } }>('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } });
    expect(after.status).toBe(201);
  });
});
