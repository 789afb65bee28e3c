// Issue 12 point 7, UDP: the proxy process against a real apiserver forwards a UDP Service port
// as sessions, one per client address, to UDP echo servers the test runs on pod addresses behind
// a selector-less Service. The proxy runs with a short --udp-idle-timeout so idling is testable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicePort } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startControlPlane, startProxy, waitListener, type ControlPlane, type ProxyProcess } from './support/cluster.js';
import { startTcpEcho, startUdpEcho, tcpExchange, udpClient, type EchoServer, type UdpClient } from './support/echo.js';
import { metricValue } from './support/prom.js';
import { service, slice, type EndpointShape } from './support/objects.js';

/** This file's own subnet 116: node IP, pod addresses and service CIDR (see support/cluster.ts). */
const SERVICE_CIDR = '127.46.116.0/24';
const NODE_IP = '127.1.116.1';
const POD_IPS = ['127.64.116.1', '127.64.116.2'];
const CLIENT_IPS = ['127.1.116.21', '127.1.116.22'];
/** A DNS-like port: UDP and TCP on the same number. */
const DNS_PORT = 5353;
/** The proxy's --udp-idle-timeout in this file. */
const IDLE_MS = 1000;

let cp: ControlPlane;
let proxy: ProxyProcess;
const servers: EchoServer[] = [];
const clients: UdpClient[] = [];

const pods = (...i: number[]): EndpointShape[] => i.map((n) => ({ ip: POD_IPS[n] ?? '', pod: `pod-${n}` }));
const podOf = (reply: string): string => /^(pod-\d+):/.exec(reply)?.[1] ?? `?${reply}`;
const dnsPorts: ServicePort[] = [
  { name: 'dns', port: DNS_PORT, targetPort: DNS_PORT, protocol: 'UDP' },
  { name: 'dns-tcp', port: DNS_PORT, targetPort: DNS_PORT, protocol: 'TCP' },
];

async function createService(name: string, endpoints: EndpointShape[]): Promise<{ ip: string; nodePort: number }> {
  const svc = await cp.services.create(service(name, { type: 'NodePort', ports: dnsPorts }), { namespace: 'default' });
  await cp.slices.create(slice(name, endpoints, dnsPorts.map((p) => ({ name: p.name, port: DNS_PORT, protocol: p.protocol }))), { namespace: 'default' });
  const ip = svc.spec?.clusterIP ?? '';
  const nodePort = svc.spec?.ports?.find((p) => p.protocol === 'UDP')?.nodePort ?? 0;
  await waitListener(proxy, `${ip}:${DNS_PORT}/udp`, 'bound');
  await waitListener(proxy, `${NODE_IP}:${nodePort}/udp`, 'bound');
  return { ip, nodePort };
}

async function newClient(host: string, port: number, localAddress: string): Promise<UdpClient> {
  const c = await udpClient(host, port, localAddress);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  for (const [i, ip] of POD_IPS.entries()) servers.push(await startUdpEcho(`pod-${i}`, ip, DNS_PORT), await startTcpEcho(`pod-${i}`, ip, DNS_PORT));
  cp = await startControlPlane(SERVICE_CIDR);
  proxy = await startProxy(cp.apiserver, NODE_IP, ['--udp-idle-timeout', `${IDLE_MS}ms`]);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await proxy?.stop();
  await cp?.stop();
  await Promise.all(servers.map((s) => s.close()));
});

describe('UDP Service ports', () => {
  it('answers each of two clients through the ClusterIP and the NodePort, from the Service address, one endpoint per session', async () => {
    const f = await createService('dns', pods(0, 1));
    for (const [host, port] of [
      [f.ip, DNS_PORT],
      [NODE_IP, f.nodePort],
    ] as const) {
      const [a, b] = await Promise.all(CLIENT_IPS.map((ip) => newClient(host, port, ip)));
      if (!a || !b) throw new Error('two clients');
      const ra = await a.ask('from-a');
      const rb = await b.ask('from-b');
      expect(ra.text).toMatch(/^pod-\d:from-a$/);
      expect(rb.text).toMatch(/^pod-\d:from-b$/);
      expect([ra.from, rb.from]).toEqual([`${host}:${port}`, `${host}:${port}`]);
      // Round-robin gave the two sessions different endpoints; each session stays on its own.
      expect(podOf(ra.text)).not.toBe(podOf(rb.text));
      for (let i = 0; i < 5; i++) expect(podOf((await a.ask(`again-${i}`)).text)).toBe(podOf(ra.text));
    }
    // The TCP port of the same number is a listener of its own.
    expect(await tcpExchange(f.ip, DNS_PORT, 'q')).toMatch(/^pod-\d:qpod-\d:eof$/);
    const m = await proxy.metrics();
    const sessions = (pod: string) => metricValue(m, 'kite_proxy_endpoint_requests_total', { service: 'dns', pod }) ?? 0;
    expect(sessions('pod-0') + sessions('pod-1')).toBe(5);
  });

  it('ends the sessions to an endpoint that leaves the Service; the next datagram reaches another', async () => {
    await createService('leave', pods(0, 1));
    const svc = await cp.services.get('leave', { namespace: 'default' });
    const c = await newClient(svc.spec?.clusterIP ?? '', DNS_PORT, CLIENT_IPS[0] ?? '');
    const first = podOf((await c.ask('hi')).text);
    const remaining = first === 'pod-0' ? 1 : 0;
    const current = await cp.slices.get('leave-abc', { namespace: 'default' });
    await cp.slices.update({ ...current, endpoints: slice('leave', pods(remaining)).endpoints }, { namespace: 'default' });
    await waitFor(async () => podOf((await c.ask('who?')).text) === `pod-${remaining}`, { message: `session moved to pod-${remaining}` });
  });

  it(`ends a session idle for --udp-idle-timeout (${IDLE_MS} ms): the client's next datagram opens a new one`, async () => {
    await createService('idle', pods(0, 1));
    const svc = await cp.services.get('idle', { namespace: 'default' });
    const c = await newClient(svc.spec?.clusterIP ?? '', DNS_PORT, CLIENT_IPS[1] ?? '');
    const first = podOf((await c.ask('one')).text);
    expect(podOf((await c.ask('two')).text)).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2.5));
    // Nobody else used the port, so round-robin hands the new session the other endpoint.
    expect(podOf((await c.ask('three')).text)).not.toBe(first);
  });
});
