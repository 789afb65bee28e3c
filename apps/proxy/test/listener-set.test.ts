// ListenerSet on real sockets: binding, releasing, and what a taken address means per kind.
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@kite/component-base';
import { waitFor } from '@kite/testing';
import { httpTransports, type ListenerHandler } from '../src/listen/http-transport.js';
import { ListenerSet, type ListenerSpec } from '../src/listen/listener-set.js';
import type { TransportFactory } from '../src/listen/transport.js';
import { TcpListener } from '../src/l4/tcp-listener.js';
import { UdpListener } from '../src/l4/udp-forwarder.js';
import { tcpExchange } from './support/echo.js';
import { plainResponse } from '../src/forward/responses.js';
import { httpRequest } from './support/http.js';

const log = createLogger('listener-test', 'silent');
const handler: ListenerHandler = {
  request: (key, _req, res) => plainResponse(res, 200, key),
  upgrade: (_key, _req, socket) => socket.destroy(),
};
const spec = (host: string, port: number, kind: ListenerSpec['kind']): ListenerSpec => ({ key: `${host}:${port}`, host, port, kind, path: 'http', service: 'default/x' });
const only = (s: ListenerSpec) => new Map([[s.key, s]]);
/** HTTP listeners answer with their key; raw TCP ones write `tcp KEY` and close. */
const byPath: TransportFactory = (s, events) => {
  if (s.path === 'tcp') return new TcpListener(s, events, (key, socket) => socket.end(`tcp ${key}`));
  if (s.path === 'udp') return new UdpListener(s, events, { route: () => undefined, sourceIP: '127.0.0.1', idleMs: 1000, log });
  return httpTransports(handler)(s, events);
};

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
    set = new ListenerSet(httpTransports(handler), log);
    const s = spec('127.92.0.1', 8080, 'cluster-ip');
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === 'bound');
    expect((await httpRequest('http://127.92.0.1:8080')).body).toBe(s.key);
    set.reconcile(new Map());
    await close(await occupy('127.92.0.1', 8080));
  });

  it('frees an address removed while its bind was still under way', async () => {
    set = new ListenerSet(httpTransports(handler), log);
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
    set = new ListenerSet(httpTransports(handler), log);
    const holder = await occupy('127.92.0.3', 8080);
    const s = spec('127.92.0.3', 8080, kind);
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === state);
    expect(set.states()[0]).toMatchObject({ state, error: 'EADDRINUSE' });
    await close(holder);
    await waitFor(() => set?.state(s.key) === 'bound', { timeoutMs: 5000 });
  });

  it('replaces a listener whose data path changed, on the same address', async () => {
    set = new ListenerSet(byPath, log);
    const s = spec('127.92.0.4', 8080, 'cluster-ip');
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === 'bound');
    expect((await httpRequest('http://127.92.0.4:8080')).body).toBe(s.key);
    set.reconcile(only({ ...s, path: 'tcp' }));
    await waitFor(() => set?.states()[0]?.path === 'tcp' && set.state(s.key) === 'bound', { timeoutMs: 5000 });
    expect(await tcpExchange('127.92.0.4', 8080, '')).toBe(`tcp ${s.key}`);
  });

  it('stands by for a UDP ClusterIP held by another socket, and binds once it is free', async () => {
    set = new ListenerSet(byPath, log);
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind({ address: '127.92.0.5', port: 5353 }, () => resolve()));
    const s: ListenerSpec = { ...spec('127.92.0.5', 5353, 'cluster-ip'), key: '127.92.0.5:5353/udp', path: 'udp' };
    set.reconcile(only(s));
    await waitFor(() => set?.state(s.key) === 'standby');
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await waitFor(() => set?.state(s.key) === 'bound', { timeoutMs: 5000 });
  });
});
