// ListenerSet on real sockets: binding, releasing, and what a taken address means per kind.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { ListenerSet, type ListenerHandler, type ListenerSpec } from '../src/listen/listener-set.js';
import { plainResponse } from '../src/forward/responses.js';
import { httpRequest } from './support/http.js';

const log = createLogger('listener-test', 'silent');
const handler: ListenerHandler = {
  request: (key, _req, res) => plainResponse(res, 200, key),
  upgrade: (_key, _req, socket) => socket.destroy(),
};
const spec = (host: string, port: number, kind: ListenerSpec['kind']): ListenerSpec => ({ key: `${host}:${port}`, host, port, kind, service: 'default/x' });
const only = (s: ListenerSpec) => new Map([[s.key, s]]);

function occupy(host: string, port: number): Promise<Server> {
  const srv = createServer();
  return new Promise((resolve, reject) => srv.once('error', reject).listen(port, host, () => resolve(srv)));
}
const close = (srv: Server) => new Promise<void>((resolve) => srv.close(() => resolve()));

let set: ListenerSet | undefined;
afterEach(async () => {
  await set?.closeAll(0);
});

describe('ListenerSet', () => {
  it('serves a desired address and frees it when it is no longer desired', async () => {
    set = new ListenerSet(handler, log);
    const s = spec('127.92.0.1', 8080, 'cluster-ip');
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === 'bound');
    expect((await httpRequest('http://127.92.0.1:8080')).body).toBe(s.key);
    set.reconcile(new Map());
    await close(await occupy('127.92.0.1', 8080));
  });

  it('frees an address removed while its bind was still under way', async () => {
    set = new ListenerSet(handler, log);
    const s = spec('127.92.0.2', 8080, 'cluster-ip');
    set.reconcile(only(s));
    set.reconcile(new Map());
    await waitFor(async () => {
      const srv = await occupy('127.92.0.2', 8080).catch(() => undefined);
      if (srv) await close(srv);
      return srv !== undefined;
    });
    expect(set.states()).toEqual([]);
  });

  it.each([
    ['a ClusterIP held by another proxy: stand by', 'cluster-ip', 'standby'],
    ['a NodePort that is taken: failed, retrying', 'node-port', 'failed'],
  ] as const)('%s, and bind once the address is free', async (_name, kind, state) => {
    set = new ListenerSet(handler, log);
    const holder = await occupy('127.92.0.3', 8080);
    const s = spec('127.92.0.3', 8080, kind);
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === state);
    expect(set.states()[0]).toMatchObject({ state, error: 'EADDRINUSE' });
    await close(holder);
    await waitFor(() => set?.state(s.key) === 'bound', { timeoutMs: 5000 });
  });
});
