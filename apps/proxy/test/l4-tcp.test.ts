// Issue 12 point 7, raw TCP: the proxy process against a real apiserver (TLS, redis-server behind
// it) forwards a Service port that does not declare HTTP as a byte pipe. Selector-less Services
// with hand-written EndpointSlices point at TCP echo servers the test runs on pod addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service, ServicePort } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startBackend, type TestBackend } from './support/backends.js';
import { startControlPlane, startProxy, waitListener, type ControlPlane, type ProxyProcess } from './support/cluster.js';
import { startTcpEcho, tcpConversation, tcpExchange, type EchoServer } from './support/echo.js';
import { httpRequest } from './support/http.js';
import { metricValue } from './support/prom.js';
import { service, slice, type EndpointShape } from './support/objects.js';

/** This file's own subnet 115: node IP, pod addresses and service CIDR (see support/cluster.ts). */
const SERVICE_CIDR = '127.46.115.0/24';
const NODE_IP = '127.1.115.1';
const POD_IPS = ['127.64.115.1', '127.64.115.2', '127.64.115.3'];
/** A pod address nothing listens on: connections to it are refused. */
const DEAD_IP = '127.64.115.9';
/** Two clients on their own addresses, for ClientIP affinity. */
const CLIENTS = ['127.1.115.21', '127.1.115.22'];
const ECHO_PORT = 7000;
const HTTP_PORT = 8080;
const CONNECTIONS = 30;

let cp: ControlPlane;
let proxy: ProxyProcess;
let echoes: EchoServer[];
let web: TestBackend;

const pods = (...i: number[]): EndpointShape[] => i.map((n) => ({ ip: POD_IPS[n] ?? '', pod: `pod-${n}` }));
const podOf = (reply: string): string => /^(pod-\d+):/.exec(reply)?.[1] ?? `?${reply}`;

interface Frontend {
  ip: string;
  port: number;
  nodePort: number;
}

/** A selector-less Service (one unnamed TCP port unless `ports` says otherwise) with its slice. */
async function createService(name: string, endpoints: EndpointShape[], opts: { type?: 'ClusterIP' | 'NodePort'; affinitySeconds?: number; ports?: ServicePort[] } = {}): Promise<Frontend> {
  const ports = opts.ports ?? [{ port: ECHO_PORT, targetPort: ECHO_PORT, protocol: 'TCP' }];
  const svc: Service = await cp.services.create(service(name, { type: opts.type, affinitySeconds: opts.affinitySeconds, ports }), { namespace: 'default' });
  await cp.slices.create(slice(name, endpoints, ports.map((p) => ({ name: p.name ?? '', port: Number(p.targetPort ?? p.port) }))), { namespace: 'default' });
  const f = { ip: svc.spec?.clusterIP ?? '', port: ports[0]?.port ?? 0, nodePort: svc.spec?.ports?.[0]?.nodePort ?? 0 };
  await waitListener(proxy, `${f.ip}:${f.port}`, 'bound');
  return f;
}

async function setEndpoints(name: string, endpoints: EndpointShape[]): Promise<void> {
  const current = await cp.slices.get(`${name}-abc`, { namespace: 'default' });
  await cp.slices.update({ ...current, endpoints: slice(name, endpoints).endpoints }, { namespace: 'default' });
}

async function spread(f: Frontend, n: number, localAddress?: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const reply = await tcpExchange(f.ip, f.port, `c${i}`, localAddress);
    expect(reply).toMatch(new RegExp(`^pod-\\d+:c${i}pod-\\d+:eof$`));
    counts.set(podOf(reply), (counts.get(podOf(reply)) ?? 0) + 1);
  }
  return counts;
}

beforeAll(async () => {
  echoes = await Promise.all(POD_IPS.map((ip, i) => startTcpEcho(`pod-${i}`, ip, ECHO_PORT)));
  web = await startBackend('web-0', POD_IPS[0] ?? '', HTTP_PORT);
  cp = await startControlPlane(SERVICE_CIDR);
  proxy = await startProxy(cp.apiserver, NODE_IP);
});
afterAll(async () => {
  await proxy?.stop();
  await cp?.stop();
  await Promise.all([...(echoes ?? []).map((e) => e.close()), web?.close()]);
});

describe('raw TCP Service ports', () => {
  it('forwards an unnamed TCP port through the ClusterIP and the NodePort, with half-close, counting connections per pod', async () => {
    const f = await createService('echo', pods(0), { type: 'NodePort' });
    await waitListener(proxy, `${NODE_IP}:${f.nodePort}`, 'bound');
    expect((await proxy.listeners()).filter((l) => l.service === 'default/echo').map((l) => l.path)).toEqual(['tcp', 'tcp']);
    // The echo answers `pod-0:eof` only after the client's FIN, and the client reads it after its own.
    expect(await tcpExchange(f.ip, f.port, 'ping')).toBe('pod-0:pingpod-0:eof');
    expect(await tcpExchange(NODE_IP, f.nodePort, 'pong')).toBe('pod-0:pongpod-0:eof');
    const m = await proxy.metrics();
    expect(metricValue(m, 'kite_proxy_endpoint_requests_total', { namespace: 'default', service: 'echo', pod: 'pod-0' })).toBe(2);
  });

  it(`spreads ${CONNECTIONS} connections over the endpoints`, async () => {
    const f = await createService('spread', pods(0, 1, 2));
    const counts = await spread(f, CONNECTIONS);
    expect([...counts.keys()].sort()).toEqual(['pod-0', 'pod-1', 'pod-2']);
    for (const [pod, n] of counts) expect(n, pod).toBeGreaterThanOrEqual(CONNECTIONS / 6);
  });

  it('pins each client to one endpoint with ClientIP affinity', async () => {
    const f = await createService('sticky', pods(0, 1, 2), { affinitySeconds: 60 });
    const seen = await Promise.all(CLIENTS.map(async (client) => [...(await spread(f, 10, client)).keys()]));
    for (const pods of seen) expect(pods).toHaveLength(1);
  });

  it('skips an endpoint that refuses and retries the next, so every connection succeeds', async () => {
    const f = await createService('refused', [{ ip: DEAD_IP, pod: 'dead' }, ...pods(0, 1)]);
    const counts = await spread(f, CONNECTIONS);
    expect([...counts.keys()].sort()).toEqual(['pod-0', 'pod-1']);
    const m = await proxy.metrics();
    expect(metricValue(m, 'kite_proxy_retries_total', { service: 'default/refused', port: '' })).toBeGreaterThanOrEqual(CONNECTIONS / 6);
  });

  it('keeps an open connection to a removed endpoint while new connections go to the others', async () => {
    const f = await createService('removal', pods(0, 1));
    let kept: Awaited<ReturnType<typeof tcpConversation>> | undefined;
    const others: Awaited<ReturnType<typeof tcpConversation>>[] = [];
    for (let i = 0; i < 4 && !kept; i++) {
      const c = await tcpConversation(f.ip, f.port);
      if ((await c.say('hello')) === 'pod-1:hello') kept = c;
      else others.push(c);
    }
    for (const c of others) c.close();
    expect(kept, 'a connection to pod-1').toBeDefined();
    await setEndpoints('removal', pods(0));
    await waitFor(async () => [...(await spread(f, 6)).keys()].join() === 'pod-0', { message: 'new connections avoid pod-1' });
    expect(await kept?.say('still there')).toBe('pod-1:still there');
    kept?.close();
  });

  it('resets a connection to a port without endpoints', async () => {
    const f = await createService('empty', []);
    await expect(tcpExchange(f.ip, f.port, 'anyone?')).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    const m = await proxy.metrics();
    expect(metricValue(m, 'kite_proxy_request_errors_total', { service: 'default/empty', reason: 'no_endpoints' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps the HTTP path for a port named http, and forwards an HTTP server on a port named otherwise untouched', async () => {
    const ports: ServicePort[] = [
      { name: 'http', port: 80, targetPort: HTTP_PORT, protocol: 'TCP' },
      { name: 'web', port: 8081, targetPort: HTTP_PORT, protocol: 'TCP' },
    ];
    const f = await createService('both', [{ ip: POD_IPS[0] ?? '', pod: 'web-0' }], { ports });
    await waitListener(proxy, `${f.ip}:8081`, 'bound');
    const paths = Object.fromEntries((await proxy.listeners()).filter((l) => l.service === 'default/both').map((l) => [l.port, l.path]));
    expect(paths).toEqual({ 80: 'http', 8081: 'tcp' });
    expect(await httpRequest(`http://${f.ip}/`, { localAddress: CLIENTS[0] })).toMatchObject({ status: 200, body: 'web-0\n' });
    expect(web.lastHeaders?.['x-forwarded-for']).toBe(CLIENTS[0]);
    expect(await httpRequest(`http://${f.ip}:8081/`, { localAddress: CLIENTS[0] })).toMatchObject({ status: 200, body: 'web-0\n' });
    expect(web.lastHeaders?.['x-forwarded-for']).toBeUndefined();
  });
});
