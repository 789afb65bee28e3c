// Cluster DNS: which names are Services, endpoints and ports, and what is answered for them.
import { describe, expect, it } from 'vitest';
import { objectKey } from '@kite/client';
import type { EndpointSlice, Service } from '@kite/api-types';
import { parseName } from '../src/dns/names.js';
import { QTYPE, RCODE, answerQuestion, type DnsRecord, type ServiceLookup } from '../src/dns/records.js';
import { service, slice } from './support/objects.js';

const AAAA = 28;
const svc = (service: string, namespace = 'default') => ({ kind: 'service', service, namespace });
const endpoint = (endpoint: string, service: string, namespace = 'default') => ({ kind: 'endpoint', endpoint, service, namespace });
const port = (port: string, protocol: string, service: string, namespace = 'default') => ({ kind: 'port', port, protocol, service, namespace });

describe('parseName', () => {
  it.each([
    // Services
    ['web.default.svc.cluster.local', svc('web')],
    ['WEB.Default.SVC.Cluster.Local.', svc('web')],
    ['web.default.svc', svc('web')],
    ['web.default', svc('web')],
    ['example.com.', svc('example', 'com')],
    ['web.svc', svc('web', 'svc')],
    ['web.default.svc.other.zone', undefined],
    ['web', undefined],
    ['default.svc.cluster.local', undefined],
    ['svc.cluster.local', undefined],
    ['cluster.local', undefined],
    ['web.default.pod.cluster.local', undefined],
    ['web_1.default.svc.cluster.local', undefined],
    // Endpoints of a headless Service: hostname or dashed IP
    ['web-0.web.default.svc.cluster.local', endpoint('web-0', 'web')],
    ['WEB-0.web.default.svc.cluster.local.', endpoint('web-0', 'web')],
    ['web-0.web.default.svc', endpoint('web-0', 'web')],
    ['web-0.web.default', endpoint('web-0', 'web')],
    ['10-0-0-1.web.default.svc.cluster.local', endpoint('10-0-0-1', 'web')],
    // ambiguous without the cluster domain: the Service reading wins
    ['web-0.web.svc', svc('web-0', 'web')],
    ['a.b.web.default.svc.cluster.local', undefined],
    ['web_0.web.default.svc.cluster.local', undefined],
    ['_http.web.default.svc.cluster.local', undefined],
    // Named ports (SRV)
    ['_http._tcp.web.default.svc.cluster.local', port('http', 'tcp', 'web')],
    ['_HTTP._TCP.Web.default.svc.cluster.local.', port('http', 'tcp', 'web')],
    ['_http._tcp.web.default.svc', port('http', 'tcp', 'web')],
    ['_http._tcp.web.default', port('http', 'tcp', 'web')],
    ['_http._tcp.web.svc', port('http', 'tcp', 'web', 'svc')],
    ['_dns._udp.kube-dns.kube-system.svc.cluster.local', port('dns', 'udp', 'kube-dns', 'kube-system')],
    ['_http._icmp.web.default.svc.cluster.local', undefined],
    ['http.tcp.web.default.svc.cluster.local', undefined],
    ['_http.tcp.web.default.svc.cluster.local', undefined],
    ['_._tcp.web.default.svc.cluster.local', undefined],
    ['x._http._tcp.web.default.svc.cluster.local', undefined],
  ])('%s', (qname, want) => {
    expect(parseName(qname, 'cluster.local')).toEqual(want);
  });
});

function lookup(services: Service[], slices: EndpointSlice[] = []): ServiceLookup {
  return {
    service: (key) => services.find((s) => objectKey(s) === key),
    slicesOf: (key) => slices.filter((s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name']}` === key),
  };
}

const headless = { clusterIP: 'None' };
const world = lookup(
  [
    service('web', { clusterIP: '127.32.0.7' }),
    service('multi', { clusterIP: '127.32.0.8', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
    service('db', headless),
    service('sts', headless),
    service('pub', { ...headless, publishNotReadyAddresses: true }),
    service('two', headless),
    service('ext', { type: 'ExternalName', externalName: 'example.test' }),
    service('empty', headless),
  ],
  [
    slice('db', ['127.64.0.5', { ip: '127.64.0.6', ready: false }, '127.64.0.4']),
    slice('sts', [{ ip: '127.64.1.1', hostname: 'web-0' }, { ip: '127.64.1.2', hostname: 'web-1' }, { ip: '127.64.1.3', hostname: 'web-2', ready: false }, '127.64.1.4']),
    slice('pub', [{ ip: '127.64.3.1', hostname: 'web-0' }, { ip: '127.64.3.2', hostname: 'web-1', ready: false }]),
    // one address in two slices of different ports, and an IPv6 slice DNS ignores
    slice('two', ['127.64.2.2', '127.64.2.1'], [{ name: 'http', port: 1 }], { name: 'two-a' }),
    slice('two', ['127.64.2.2'], [{ name: 'http', port: 2 }], { name: 'two-b' }),
    slice('two', ['::1'], [{ name: 'http', port: 3 }], { name: 'two-v6', addressType: 'IPv6' }),
  ],
);

function show(r: DnsRecord): string {
  if (r.type === QTYPE.A) return `A ${r.address}`;
  if (r.type === QTYPE.SRV) return `SRV ${r.priority} ${r.weight} ${r.port} ${r.target}`;
  return `CNAME ${r.domain}`;
}

const FQ = 'default.svc.cluster.local';

interface Case {
  name: string;
  qname: string;
  qtype?: number;
  rcode?: number;
  want: string[];
  /** The additional section, when the case checks it. */
  additional?: string[];
}

const NX = RCODE.NXDOMAIN;
const SRV = QTYPE.SRV;

const cases: Case[] = [
  // Services
  { name: 'ClusterIP service, fully qualified', qname: `web.${FQ}`, want: ['A 127.32.0.7'] },
  { name: 'ClusterIP service, short form', qname: 'web.default', want: ['A 127.32.0.7'] },
  { name: 'headless: the ready pod IPs', qname: `db.${FQ}`, want: ['A 127.64.0.4', 'A 127.64.0.5'] },
  { name: 'headless: every slice, each address once, IPv6 slices left out', qname: `two.${FQ}`, want: ['A 127.64.2.1', 'A 127.64.2.2'] },
  { name: 'headless with publishNotReadyAddresses: not-ready pods too', qname: `pub.${FQ}`, want: ['A 127.64.3.1', 'A 127.64.3.2'] },
  { name: 'headless without endpoints: the name exists, no address', qname: `empty.${FQ}`, want: [] },
  { name: 'ExternalName: a CNAME', qname: `ext.${FQ}`, want: ['CNAME example.test'] },
  { name: 'ExternalName: a CNAME for SRV too', qname: `ext.${FQ}`, qtype: SRV, want: ['CNAME example.test'] },
  { name: 'AAAA for a service: NODATA', qname: `web.${FQ}`, qtype: AAAA, want: [] },
  { name: 'unknown service', qname: `nope.${FQ}`, rcode: NX, want: [] },
  { name: 'service in another namespace', qname: 'web.other.svc.cluster.local', rcode: NX, want: [] },
  { name: 'a name outside the zone', qname: 'www.example.org', rcode: NX, want: [] },
  // Endpoints of headless Services, by hostname
  { name: 'a pod by hostname', qname: `web-0.sts.${FQ}`, want: ['A 127.64.1.1'] },
  { name: 'a pod by hostname, without the cluster domain', qname: 'web-1.sts.default.svc', want: ['A 127.64.1.2'] },
  { name: 'a pod by hostname, short form', qname: 'web-1.sts.default', want: ['A 127.64.1.2'] },
  { name: 'a pod by hostname, any case', qname: `WEB-0.Sts.${FQ}.`, want: ['A 127.64.1.1'] },
  { name: 'unknown hostname', qname: `web-9.sts.${FQ}`, rcode: NX, want: [] },
  { name: 'not-ready pod: unknown', qname: `web-2.sts.${FQ}`, rcode: NX, want: [] },
  { name: 'not-ready pod with publishNotReadyAddresses', qname: `web-1.pub.${FQ}`, want: ['A 127.64.3.2'] },
  { name: 'AAAA for a pod: NODATA', qname: `web-0.sts.${FQ}`, qtype: AAAA, want: [] },
  { name: 'SRV for a pod: NODATA', qname: `web-0.sts.${FQ}`, qtype: SRV, want: [] },
  { name: 'a hostname under a ClusterIP service', qname: `web-0.web.${FQ}`, rcode: NX, want: [] },
  { name: 'a hostname under an ExternalName service', qname: `web-0.ext.${FQ}`, rcode: NX, want: [] },
  { name: 'a hostname under an unknown service', qname: `web-0.nope.${FQ}`, rcode: NX, want: [] },
  // Endpoints of headless Services, by dashed IP
  { name: 'a pod by dashed IP', qname: `127-64-0-5.db.${FQ}`, want: ['A 127.64.0.5'] },
  { name: 'a pod without hostname by dashed IP, beside pods with one', qname: `127-64-1-4.sts.${FQ}`, want: ['A 127.64.1.4'] },
  { name: 'dashed IP of a pod with a hostname: its name is the hostname', qname: `127-64-1-1.sts.${FQ}`, rcode: NX, want: [] },
  { name: 'dashed IP of a not-ready pod', qname: `127-64-0-6.db.${FQ}`, rcode: NX, want: [] },
  { name: 'dashed IP that is no endpoint of the service', qname: `127-64-1-4.db.${FQ}`, rcode: NX, want: [] },
  // SRV for a ClusterIP service
  { name: 'SRV, ClusterIP: the service port, its own name as target', qname: `_http._tcp.web.${FQ}`, qtype: SRV, want: [`SRV 0 100 80 web.${FQ}`], additional: [`web.${FQ} A 127.32.0.7`] },
  { name: 'SRV, ClusterIP, short form: still a fully qualified target', qname: '_http._tcp.web.default', qtype: SRV, want: [`SRV 0 100 80 web.${FQ}`] },
  { name: 'SRV, ClusterIP, a UDP port', qname: `_dns._udp.multi.${FQ}`, qtype: SRV, want: [`SRV 0 100 53 multi.${FQ}`] },
  { name: 'SRV, the port with another protocol', qname: `_dns._tcp.multi.${FQ}`, qtype: SRV, rcode: NX, want: [] },
  { name: 'SRV, an unknown port', qname: `_grpc._tcp.web.${FQ}`, qtype: SRV, rcode: NX, want: [] },
  { name: 'SRV, a port of an unknown service', qname: `_http._tcp.nope.${FQ}`, qtype: SRV, rcode: NX, want: [] },
  { name: 'SRV, a port of an ExternalName service', qname: `_http._tcp.ext.${FQ}`, qtype: SRV, rcode: NX, want: [] },
  { name: 'A for a port name: NODATA', qname: `_http._tcp.web.${FQ}`, want: [] },
  { name: 'SRV for the bare name: every port', qname: `multi.${FQ}`, qtype: SRV, want: [`SRV 0 50 80 multi.${FQ}`, `SRV 0 50 53 multi.${FQ}`], additional: [`multi.${FQ} A 127.32.0.8`] },
  // SRV for a headless service
  {
    name: 'SRV, headless: one per ready pod, the slice port, hostname or dashed IP as target',
    qname: `_http._tcp.sts.${FQ}`,
    qtype: SRV,
    want: [`SRV 0 33 8080 web-0.sts.${FQ}`, `SRV 0 33 8080 web-1.sts.${FQ}`, `SRV 0 33 8080 127-64-1-4.sts.${FQ}`],
    additional: [`web-0.sts.${FQ} A 127.64.1.1`, `web-1.sts.${FQ} A 127.64.1.2`, `127-64-1-4.sts.${FQ} A 127.64.1.4`],
  },
  { name: 'SRV, headless: each slice its own port number', qname: `_http._tcp.two.${FQ}`, qtype: SRV, want: [`SRV 0 33 1 127-64-2-1.two.${FQ}`, `SRV 0 33 1 127-64-2-2.two.${FQ}`, `SRV 0 33 2 127-64-2-2.two.${FQ}`] },
  { name: 'SRV, headless with publishNotReadyAddresses', qname: `_http._tcp.pub.${FQ}`, qtype: SRV, want: [`SRV 0 50 8080 web-0.pub.${FQ}`, `SRV 0 50 8080 web-1.pub.${FQ}`] },
  { name: 'SRV, headless without endpoints: NODATA', qname: `_http._tcp.empty.${FQ}`, qtype: SRV, want: [] },
  { name: 'SRV for the bare headless name', qname: `db.${FQ}`, qtype: SRV, want: [`SRV 0 50 8080 127-64-0-4.db.${FQ}`, `SRV 0 50 8080 127-64-0-5.db.${FQ}`] },
];

describe('answerQuestion', () => {
  it.each(cases)('$name', ({ qname, qtype = QTYPE.A, rcode = RCODE.NOERROR, want, additional }) => {
    const got = answerQuestion(world, qname, qtype, 'cluster.local');
    expect(got.rcode).toBe(rcode);
    expect(got.records.map(show)).toEqual(want);
    for (const r of got.records) expect(r.name).toBe(qname);
    if (additional) expect((got.additional ?? []).map((r) => `${r.name} ${show(r)}`)).toEqual(additional);
  });
});
