// Flag parsing and its refusals: every address must be loopback (BRIEF §5).
import { describe, expect, it } from 'vitest';
import { dnsConfig, proxyConfig } from '../src/config.js';

describe('proxyConfig', () => {
  it('has defaults', () => {
    expect(proxyConfig({})).toEqual({ apiserver: { server: 'https://127.0.0.1:6443' }, nodeName: 'node-1', nodeIP: '127.1.0.1', port: 10256, bindClusterIPs: true, activatorQueueLimit: 100, activatorTimeoutMs: 30_000, udpIdleTimeoutMs: 60_000 });
  });

  it.each([
    ['--bind-cluster-ips false', { bindClusterIps: 'false' }, { bindClusterIPs: false }],
    ['--bind-cluster-ips as a bare flag', { bindClusterIps: true }, { bindClusterIPs: true }],
    ['--node-ip and --port', { nodeIp: '127.1.3.1', port: '0' }, { nodeIP: '127.1.3.1', port: 0 }],
    ['--activator-queue-limit and --activator-timeout', { activatorQueueLimit: '5', activatorTimeout: '1m30s' }, { activatorQueueLimit: 5, activatorTimeoutMs: 90_000 }],
    ['--activator-timeout in milliseconds', { activatorTimeout: '250ms' }, { activatorTimeoutMs: 250 }],
    ['--udp-idle-timeout', { udpIdleTimeout: '5m' }, { udpIdleTimeoutMs: 300_000 }],
  ])('%s', (_name, flags, want) => {
    expect(proxyConfig(flags)).toMatchObject(want);
  });

  it.each([
    ['a node IP off loopback', { nodeIp: '10.0.0.1' }, /--node-ip must be an IPv4 address in 127/],
    ['a node IP that is no address', { nodeIp: 'node-1' }, /--node-ip/],
    ['a bad boolean', { bindClusterIps: 'maybe' }, /--bind-cluster-ips must be true or false/],
    ['a bad port', { port: '70000' }, /--port must be a port number/],
    ['a queue limit of 0', { activatorQueueLimit: '0' }, /--activator-queue-limit must be at least 1/],
    ['a timeout without a unit', { activatorTimeout: '30' }, /--activator-timeout must be a positive duration/],
    ['a zero timeout', { activatorTimeout: '0s' }, /--activator-timeout must be a positive duration/],
    ['a UDP idle timeout without a unit', { udpIdleTimeout: '60' }, /--udp-idle-timeout must be a positive duration/],
  ])('refuses %s', (_name, flags, err) => {
    expect(() => proxyConfig(flags)).toThrow(err);
  });
});

describe('dnsConfig', () => {
  it('has defaults and normalises the domain', () => {
    expect(dnsConfig({ clusterDomain: 'Kite.Local.' })).toEqual({ apiserver: { server: 'https://127.0.0.1:6443' }, dnsAddress: '127.0.0.10', dnsPort: 53, port: 9153, clusterDomain: 'kite.local' });
  });

  it('refuses a DNS address off loopback', () => {
    expect(() => dnsConfig({ dnsAddress: '0.0.0.0' })).toThrow(/--dns-address/);
  });
});
