// Cluster DNS: which names are Services, and what is answered for them.
import { describe, expect, it } from 'vitest';
import { objectKey } from '@kite/client';
import type { EndpointSlice, Service } from '@kite/api-types';
import { parseServiceName } from '../src/dns/names.js';
import { QTYPE, RCODE, answerQuestion, type ServiceLookup } from '../src/dns/records.js';
import { service, slice } from './support/objects.js';

describe('parseServiceName', () => {
  it.each([
    ['web.default.svc.cluster.local', { service: 'web', namespace: 'default' }],
    ['WEB.Default.SVC.Cluster.Local.', { service: 'web', namespace: 'default' }],
    ['web.default.svc', { service: 'web', namespace: 'default' }],
    ['web.default', { service: 'web', namespace: 'default' }],
    ['web.default.svc.other.zone', undefined],
    ['web', undefined],
    ['a.web.default.svc.cluster.local', undefined],
    ['default.svc.cluster.local', undefined],
    ['example.com.', { service: 'example', namespace: 'com' }],
  ])('%s', (qname, want) => {
    expect(parseServiceName(qname, 'cluster.local')).toEqual(want);
  });
});

function lookup(services: Service[], slices: EndpointSlice[] = []): ServiceLookup {
  return {
    service: (key) => services.find((s) => objectKey(s) === key),
    slicesOf: (key) => slices.filter((s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name']}` === key),
  };
}

const world = lookup(
  [service('web', { clusterIP: '127.32.0.7' }), service('db', { clusterIP: 'None' }), service('ext', { type: 'ExternalName', externalName: 'example.test' }), service('empty', { clusterIP: 'None' })],
  [slice('db', ['127.64.0.5', { ip: '127.64.0.6', ready: false }, '127.64.0.4'])],
);

describe('answerQuestion', () => {
  it.each([
    ['ClusterIP service, fully qualified', 'web.default.svc.cluster.local', QTYPE.A, RCODE.NOERROR, ['A 127.32.0.7']],
    ['ClusterIP service, short form', 'web.default', QTYPE.A, RCODE.NOERROR, ['A 127.32.0.7']],
    ['headless: the ready pod IPs', 'db.default.svc.cluster.local', QTYPE.A, RCODE.NOERROR, ['A 127.64.0.4', 'A 127.64.0.5']],
    ['headless without endpoints: the name exists, no address', 'empty.default.svc.cluster.local', QTYPE.A, RCODE.NOERROR, []],
    ['ExternalName: a CNAME', 'ext.default.svc.cluster.local', QTYPE.A, RCODE.NOERROR, ['CNAME example.test']],
    ['AAAA for a service: NODATA', 'web.default.svc.cluster.local', 28, RCODE.NOERROR, []],
    ['unknown service', 'nope.default.svc.cluster.local', QTYPE.A, RCODE.NXDOMAIN, []],
    ['service in another namespace', 'web.other.svc.cluster.local', QTYPE.A, RCODE.NXDOMAIN, []],
    ['a name outside the zone', 'www.example.org', QTYPE.A, RCODE.NXDOMAIN, []],
  ])('%s', (_name, qname, qtype, rcode, records) => {
    const got = answerQuestion(world, qname, qtype, 'cluster.local');
    expect(got.rcode).toBe(rcode);
    expect(got.records.map((r) => (r.type === QTYPE.A ? `A ${r.address}` : `CNAME ${r.domain}`))).toEqual(records);
    for (const r of got.records) expect(r.name).toBe(qname);
  });
});
