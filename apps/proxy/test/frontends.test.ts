// frontendsFor: the listeners one Service asks for on a node.
import { describe, expect, it } from 'vitest';
import { frontendsFor, type FrontendOptions } from '../src/catalog/frontends.js';
import { service, slice } from './support/objects.js';

const node: FrontendOptions = { nodeIP: '127.1.0.1', bindClusterIPs: true };
const summary = (svc: ReturnType<typeof service>, opts = node) =>
  frontendsFor(svc, [slice(svc.metadata.name ?? '', ['127.64.0.1'])], opts).frontends.map((f) => `${f.kind} ${f.key} ${f.portName} ${f.path} -> ${f.backends.map((b) => b.key).join(',')}`);

describe('frontendsFor', () => {
  it.each([
    ['ClusterIP: one listener per port on the cluster IP', service('web', { clusterIP: '127.32.0.5' }), node, ['cluster-ip 127.32.0.5:80 http http -> 127.64.0.1:8080']],
    [
      'NodePort: the cluster IP and the node IP at the node port',
      service('web', { clusterIP: '127.32.0.5', type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] }),
      node,
      ['cluster-ip 127.32.0.5:80 http http -> 127.64.0.1:8080', 'node-port 127.1.0.1:30080 http http -> 127.64.0.1:8080'],
    ],
    [
      'bindClusterIPs off: node ports only',
      service('web', { clusterIP: '127.32.0.5', type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] }),
      { ...node, bindClusterIPs: false },
      ['node-port 127.1.0.1:30080 http http -> 127.64.0.1:8080'],
    ],
    ['headless: nothing to bind', service('web', { clusterIP: 'None' }), node, []],
    ['ExternalName: nothing to bind', service('web', { type: 'ExternalName', externalName: 'example.test' }), node, []],
    [
      'a port named other than http: raw TCP; a UDP port: UDP, keyed apart from TCP on the same number',
      service('web', {
        clusterIP: '127.32.0.5',
        ports: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      }),
      node,
      ['cluster-ip 127.32.0.5:53 dns-tcp tcp -> ', 'cluster-ip 127.32.0.5:53/udp dns udp -> '],
    ],
    ['an SCTP port is skipped', service('web', { clusterIP: '127.32.0.5', ports: [{ name: 'sig', port: 9000, protocol: 'SCTP' }] }), node, []],
    ['a service without an allocated IP yet: nothing', service('web'), node, []],
  ])('%s', (_name, svc, opts, want) => {
    expect(summary(svc, opts)).toEqual(want);
  });

  it('refuses a cluster IP outside loopback and says why', () => {
    const got = frontendsFor(service('web', { clusterIP: '10.96.0.1' }), [], node);
    expect(got.frontends).toEqual([]);
    expect(got.skipped.join()).toMatch(/10\.96\.0\.1 .* not a loopback address/);
  });

  it('says why an SCTP port is skipped', () => {
    const got = frontendsFor(service('web', { clusterIP: '127.32.0.5', ports: [{ name: 'sig', port: 9000, protocol: 'SCTP' }] }), [], node);
    expect(got.skipped).toEqual(['port sig of default/web: protocol SCTP is not forwarded']);
  });

  it('carries ClientIP affinity in milliseconds', () => {
    const got = frontendsFor(service('web', { clusterIP: '127.32.0.5', affinitySeconds: 30 }), [], node);
    expect(got.frontends[0]?.affinityMs).toBe(30_000);
  });
});
