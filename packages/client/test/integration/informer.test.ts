// Informers against real apiserver processes: convergence after 410, and resuming across an
// apiserver restart without missing an event.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigMapResource, type ConfigMap, type KubeList } from '@kite/api-types';
import { startApiServerProcess, waitFor, type ApiServerHandle } from '@kite/testing';
import { KubeClient } from '../../src/kube-client.js';
import { objectKey } from '../../src/cache/keys.js';
import { Informer, type ListWatcher } from '../../src/informer/informer.js';
import { restartOnSamePort, startEnv, type Env } from './env.js';

const NS = 'default';
const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, labels: { inf: 'yes' } }, data: { v } });

let env: Env | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await env?.close();
  env = undefined;
});

/** A ListWatcher that counts lists, so a test can tell whether the informer relisted. */
function counting(client: ListWatcher<ConfigMap>): ListWatcher<ConfigMap> & { lists: number } {
  const w = {
    lists: 0,
    listAll: (o: Parameters<ListWatcher<ConfigMap>['listAll']>[0]): Promise<KubeList<ConfigMap>> => {
      w.lists++;
      return client.listAll(o);
    },
    watch: (o: Parameters<ListWatcher<ConfigMap>['watch']>[0]) => client.watch(o),
  };
  return w;
}

interface Log {
  events: { type: string; key: string; rv: number; v: string | undefined }[];
}

function startInformer(client: ListWatcher<ConfigMap>): { informer: Informer<ConfigMap>; log: Log } {
  const informer = new Informer<ConfigMap>({ client, namespace: NS, labelSelector: 'inf=yes', backoff: { initialMs: 50, maxMs: 500 }, onError: () => {} });
  const log: Log = { events: [] };
  const rec = (type: string) => (o: { metadata: { namespace?: string; name?: string; resourceVersion?: string }; data?: Readonly<Record<string, string>> }) =>
    log.events.push({ type, key: objectKey(o), rv: Number(o.metadata.resourceVersion), v: o.data?.v });
  informer.on('add', rec('add'));
  informer.on('update', (_old, o) => rec('update')(o));
  informer.on('delete', rec('delete'));
  cleanup.push(() => informer.stop());
  return { informer, log };
}

/** `name=v@rv` for every object, sorted. */
function state(items: readonly { metadata: { name?: string; resourceVersion?: string }; data?: Readonly<Record<string, string>> }[]): string[] {
  return items.map((o) => `${o.metadata.name}=${o.data?.v}@${o.metadata.resourceVersion}`).sort();
}

describe('Informer against the apiserver', () => {
  it('relists and converges after its revision fell out of a 50-revision history', async () => {
    env = await startEnv(['--watch-history', '50']);
    const a = env.api;
    // A second apiserver on the same Redis takes the writes while the informer's one is down.
    const b = await startApiServerProcess(env.redis.url, ['--watch-history', '50']);
    cleanup.push(() => b.stop());
    const viaB = new KubeClient(await b.connection()).resource(ConfigMapResource);
    for (let i = 0; i < 6; i++) await viaB.create(cm(`c${i}`, '0'));

    const lw = counting(env.client.resource(ConfigMapResource));
    const { informer, log } = startInformer(lw);
    await informer.start();
    expect(informer.store.keys().sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'].map((n) => `${NS}/${n}`));

    await a.stop();
    // More than 50 writes: updates, deletes, creates.
    for (let i = 1; i <= 10; i++) for (const n of ['c0', 'c1', 'c2', 'c3', 'c4']) await viaB.patch(n, { data: { v: String(i) } }, { type: 'merge', namespace: NS });
    await viaB.delete('c5', { namespace: NS });
    await viaB.delete('c4', { namespace: NS });
    await viaB.create(cm('c6', 'new'));
    env.api = await restartOnSamePort(a);

    const want = state((await viaB.list({ namespace: NS, labelSelector: 'inf=yes' })).items);
    await waitFor(() => JSON.stringify(state(informer.store.list())) === JSON.stringify(want), { timeoutMs: 20_000, message: 'informer to converge' });
    expect(lw.lists).toBe(2);
    const afterRelist = log.events.slice(6).map((e) => `${e.type} ${e.key}`).sort();
    expect(afterRelist).toEqual(['add default/c6', 'delete default/c4', 'delete default/c5', 'update default/c0', 'update default/c1', 'update default/c2', 'update default/c3']);
  });

  it('resumes across an apiserver restart without missing an event', async () => {
    env = await startEnv();
    const api: ApiServerHandle = env.api;
    const lw = counting(env.client.resource(ConfigMapResource));
    const { informer, log } = startInformer(lw);
    await informer.start();
    const adminConnection = await api.connection();
    const writer = () => new KubeClient(adminConnection).resource(ConfigMapResource);

    const written: number[] = [];
    const w = writer();
    for (let i = 0; i < 3; i++) written.push(Number((await w.create(cm(`r${i}`, '0'))).metadata.resourceVersion));
    await waitFor(() => informer.store.size() === 3, { message: 'initial events' });
    // Write right before the kill: the event may or may not have reached the informer.
    written.push(Number((await w.patch('r0', { data: { v: 'before-kill' } }, { type: 'merge', namespace: NS })).metadata.resourceVersion));
    await api.kill();
    env.api = await restartOnSamePort(api);
    const w2 = writer();
    written.push(Number((await w2.patch('r1', { data: { v: 'after-restart' } }, { type: 'merge', namespace: NS })).metadata.resourceVersion));
    await w2.delete('r2', { namespace: NS });

    const want = state((await w2.list({ namespace: NS, labelSelector: 'inf=yes' })).items);
    await waitFor(() => JSON.stringify(state(informer.store.list())) === JSON.stringify(want), { timeoutMs: 20_000, message: 'informer to resume' });
    await waitFor(() => log.events.some((e) => e.type === 'delete'), { message: 'the delete event' });

    expect(lw.lists).toBe(1); // resumed by watch, never relisted
    const rvs = log.events.map((e) => e.rv);
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    expect(new Set(rvs).size).toBe(rvs.length);
    expect(rvs.slice(0, written.length)).toEqual(written); // every write seen, in order
    expect(rvs).toHaveLength(written.length + 1); // and then the delete
    expect(log.events.map((e) => `${e.type} ${e.key} ${e.v}`)).toEqual([
      'add default/r0 0',
      'add default/r1 0',
      'add default/r2 0',
      'update default/r0 before-kill',
      'update default/r1 after-restart',
      'delete default/r2 0',
    ]);
  });
});
