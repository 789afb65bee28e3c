// The cluster DNS process against a real apiserver: Services created through the API resolve by
// name (UDP and TCP), headless Services to their ready pod IPs, unknown names fail with NXDOMAIN;
// StatefulSet pods by hostname and Service ports by SRV, as CoreDNS answers them.
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dns2 from 'dns2';
import { NamespaceResource } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startControlPlane, startDns, type ControlPlane, type DnsProcess } from './support/cluster.js';
import { service, slice } from './support/objects.js';

/** This file's own service CIDR and DNS address (see support/cluster.ts). */
const SERVICE_CIDR = '127.44.0.0/24';
const DNS_ADDRESS = '127.0.10.1';
const NXDOMAIN = 3;

let cp: ControlPlane;
let dns: DnsProcess;
let resolver: Resolver;

/** Node's resolver maps NXDOMAIN to ENOTFOUND and an empty answer to ENODATA. */
async function resolveCode(name: string): Promise<string[] | string> {
  try {
    return await resolver.resolve4(name);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

beforeAll(async () => {
  cp = await startControlPlane(SERVICE_CIDR);
  dns = await startDns(cp.apiserver, DNS_ADDRESS);
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`${DNS_ADDRESS}:${dns.port}`]);
});
afterAll(async () => {
  await dns?.stop();
  await cp?.stop();
});

describe('cluster DNS', () => {
  it('resolves a Service created after it started, by its full and short names', async () => {
    const svc = await cp.services.create(service('web'), { namespace: 'default' });
    const ip = svc.spec?.clusterIP ?? '';
    expect(ip).toMatch(/^127\.44\.0\.\d+$/);
    await waitFor(async () => (await resolveCode('web.default.svc.cluster.local'))[0] === ip, { message: 'web resolves' });
    expect(await resolveCode('web.default')).toEqual([ip]);
    expect(await resolveCode('WEB.DEFAULT.SVC.CLUSTER.LOCAL')).toEqual([ip]);
  });

  it('fails an unknown name with NXDOMAIN, and a known name without an address with NODATA', async () => {
    expect(await resolveCode('nope.default.svc.cluster.local')).toBe('ENOTFOUND');
    expect(await resolveCode('web.elsewhere.svc.cluster.local')).toBe('ENOTFOUND');
    expect(await resolveCode('www.example.org')).toBe('ENOTFOUND');
    await cp.services.create(service('lonely', { clusterIP: 'None' }), { namespace: 'default' });
    await waitFor(async () => (await resolveCode('lonely.default.svc.cluster.local')) === 'ENODATA', { message: 'lonely has no address' });
  });

  it('answers a headless Service with its ready pod IPs', async () => {
    await cp.services.create(service('db', { clusterIP: 'None' }), { namespace: 'default' });
    await cp.slices.create(slice('db', ['127.64.9.2', { ip: '127.64.9.3', ready: false }, '127.64.9.1']), { namespace: 'default' });
    await waitFor(async () => (await resolveCode('db.default.svc.cluster.local')).length === 2, { message: 'db resolves to 2 IPs' });
    expect(await resolveCode('db.default.svc.cluster.local')).toEqual(['127.64.9.1', '127.64.9.2']);
  });

  it('answers over TCP too', async () => {
    const tcp = dns2.TCPClient({ dns: DNS_ADDRESS, port: dns.port });
    const ok = await tcp('web.default.svc.cluster.local', 'A');
    expect(ok.answers.map((a) => a.address)).toHaveLength(1);
    const missing = await tcp('nope.default.svc.cluster.local', 'A');
    expect(missing.header.rcode).toBe(NXDOMAIN);
  });

  it('answers a headless Service\'s pods by hostname, and its named port by SRV', async () => {
    // A namespace of its own: `web` in default is the ClusterIP Service above.
    const ns = 'apps';
    const fq = `web.${ns}.svc.cluster.local`;
    await cp.client.resource(NamespaceResource).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await cp.services.create(service('web', { namespace: ns, clusterIP: 'None', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] }), { namespace: ns });
    const pods = [
      { ip: '127.64.8.1', hostname: 'web-0' },
      { ip: '127.64.8.2', hostname: 'web-1' },
    ];
    await cp.slices.create(slice('web', pods, [{ name: 'http', port: 8080, protocol: 'TCP' }], { namespace: ns }), { namespace: ns });
    await waitFor(async () => (await resolveCode(`web-0.${fq}`))[0] === '127.64.8.1', { message: 'web-0 resolves' });
    expect(await resolveCode(`web-1.${fq}`)).toEqual(['127.64.8.2']);
    expect(await resolveCode(`web-9.${fq}`)).toBe('ENOTFOUND');
    const srv = await resolver.resolveSrv(`_http._tcp.${fq}`);
    expect(srv.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: `web-0.${fq}`, port: 8080, priority: 0, weight: 50 },
      { name: `web-1.${fq}`, port: 8080, priority: 0, weight: 50 },
    ]);
    // The targets' addresses ride along in the additional section (checked on the raw packet).
    const tcp = dns2.TCPClient({ dns: DNS_ADDRESS, port: dns.port });
    const answer = await tcp(`_http._tcp.${fq}`, 'SRV');
    expect(answer.additionals.map((r) => `${r.name} ${r.address}`).sort()).toEqual([`web-0.${fq} 127.64.8.1`, `web-1.${fq} 127.64.8.2`]);
  });
});
