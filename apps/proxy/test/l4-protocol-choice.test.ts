// choosePath: which data path serves a Service port (HTTP, raw TCP, UDP, or none).
import { describe, expect, it } from 'vitest';
import type { ServicePort } from '@kite/api-types';
import { choosePath } from '../src/l4/protocol-choice.js';

type Port = Pick<ServicePort, 'name' | 'protocol' | 'appProtocol'>;

describe('choosePath', () => {
  it.each<[string, Port, string | undefined]>([
    ['named http', { name: 'http' }, 'http'],
    ['named http-<suffix>', { name: 'http-web', protocol: 'TCP' }, 'http'],
    ['unnamed TCP port', {}, 'tcp'],
    ['named after another protocol', { name: 'redis', protocol: 'TCP' }, 'tcp'],
    ['named https (TLS passes through)', { name: 'https' }, 'tcp'],
    ['named http2 (not http-*)', { name: 'http2' }, 'tcp'],
    ['named httpx (not http-*)', { name: 'httpx' }, 'tcp'],
    ['named "http-" without a suffix', { name: 'http-' }, 'tcp'],
    ['appProtocol http on an unnamed port', { appProtocol: 'http' }, 'http'],
    ['appProtocol HTTP, case-insensitive', { name: 'web', appProtocol: 'HTTP' }, 'http'],
    ['appProtocol kubernetes.io/ws', { name: 'socket', appProtocol: 'kubernetes.io/ws' }, 'http'],
    ['appProtocol kubernetes.io/h2c (prior knowledge breaks HTTP/1.1)', { name: 'grpc', appProtocol: 'kubernetes.io/h2c' }, 'tcp'],
    ['appProtocol kubernetes.io/wss', { appProtocol: 'kubernetes.io/wss' }, 'tcp'],
    ['appProtocol wins over the name', { name: 'http', appProtocol: 'postgresql' }, 'tcp'],
    ['empty appProtocol falls back to the name', { name: 'http', appProtocol: '' }, 'http'],
    ['UDP', { name: 'dns', protocol: 'UDP' }, 'udp'],
    ['UDP named http is still UDP', { name: 'http', protocol: 'UDP' }, 'udp'],
    ['SCTP is not forwarded', { name: 'sig', protocol: 'SCTP' }, undefined],
  ])('%s', (_name, port, want) => {
    const got = choosePath(port);
    expect(got.path).toBe(want);
    expect(got.reason === '').toBe(want !== undefined);
  });
});
