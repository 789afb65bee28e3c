// readyBackends: which slice endpoints a Service port forwards to.
import { describe, expect, it } from 'vitest';
import { readyBackends } from '../src/catalog/endpoints.js';
import { slice } from './support/objects.js';

const keys = (slices: Parameters<typeof readyBackends>[0], port = 'http') => readyBackends(slices, port).ready.map((b) => b.key);

describe('readyBackends', () => {
  it.each([
    ['ready endpoints, sorted numerically', [slice('s', ['127.64.0.10', '127.64.0.9'])], 'http', ['127.64.0.9:8080', '127.64.0.10:8080']],
    ['not-ready and terminating endpoints are left out', [slice('s', ['127.64.0.1', { ip: '127.64.0.2', ready: false }, { ip: '127.64.0.3', ready: false, terminating: true }])], 'http', ['127.64.0.1:8080']],
    ['the slice port named like the service port gives the number', [slice('s', ['127.64.0.1'], [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8081 }])], 'http', ['127.64.0.1:8081']],
    ['a slice without the port contributes nothing', [slice('s', ['127.64.0.1'], [{ name: 'other', port: 1 }])], 'http', []],
    ['an unnamed service port matches the unnamed slice port', [slice('s', ['127.64.0.1'], [{ port: 7000 }])], '', ['127.64.0.1:7000']],
    [
      'slices resolving a named port differently each keep their number; duplicates collapse',
      [slice('s', ['127.64.0.1', '127.64.0.2'], [{ name: 'http', port: 8080 }], { name: 'a' }), slice('s', ['127.64.0.2', '127.64.0.3'], [{ name: 'http', port: 9000 }], { name: 'b' }), slice('s', ['127.64.0.1'], [{ name: 'http', port: 8080 }], { name: 'c' })],
      'http',
      ['127.64.0.1:8080', '127.64.0.2:8080', '127.64.0.2:9000', '127.64.0.3:9000'],
    ],
    ['IPv6 slices are ignored', [slice('s', ['::1'], undefined, { addressType: 'IPv6' })], 'http', []],
    ['no slices, no backends', [], 'http', []],
  ])('%s', (_name, slices, port, want) => {
    expect(keys(slices, port)).toEqual(want);
  });

  it('refuses non-loopback addresses and reports them', () => {
    const got = readyBackends([slice('s', ['127.64.0.1', '10.0.0.5', '192.168.1.1'])], 'http');
    expect(got.ready.map((b) => b.ip)).toEqual(['127.64.0.1']);
    expect(got.refused).toEqual(['10.0.0.5', '192.168.1.1']);
  });
});
