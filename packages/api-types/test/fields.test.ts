// Field checks shared by many kinds: IP addresses, CIDRs, port names, env var names.
import { describe, expect, it } from 'vitest';
import { checkEnvVarName, checkIanaSvcName, isIPv4, isIPv6, validateCIDR, deepEqual } from '../src/index.js';

describe('IP addresses', () => {
  it.each<[string, boolean, boolean]>([
    // [text, IPv4, IPv6]
    ['127.0.0.1', true, false],
    ['10.96.0.10', true, false],
    ['255.255.255.255', true, false],
    ['256.1.1.1', false, false],
    ['010.0.0.1', false, false],
    ['1.2.3', false, false],
    ['::', false, true],
    ['::1', false, true],
    ['2001:db8::ffff', false, true],
    ['2001:db8:0:0:0:0:0:1', false, true],
    ['::ffff:10.0.0.1', false, true],
    ['2001:db8::1::2', false, false],
    ['2001:db8:0:0:0:0:0:0:1', false, false],
    ['12345::', false, false],
    ['fe80::1%eth0', false, false],
    ['', false, false],
  ])('%s', (s, v4, v6) => {
    expect(isIPv4(s)).toBe(v4);
    expect(isIPv6(s)).toBe(v6);
  });

  it.each<[string, boolean]>([
    ['127.1.1.0/24', true],
    ['10.0.0.0/8', true],
    ['2001:db8::/64', true],
    ['127.1.1.0/33', false],
    ['127.1.1.0', false],
    ['127.1.1.0/x', false],
    ['2001:db8::/129', false],
  ])('CIDR %s valid: %s', (s, ok) => expect(validateCIDR(s, 'f').length === 0).toBe(ok));
});

describe('names', () => {
  it.each<[string, boolean]>([
    ['http', true],
    ['http-alt', true],
    ['a1', true],
    ['8080', false],
    ['HTTP', false],
    ['-http', false],
    ['http--alt', false],
    ['very-long-port-name', false],
    ['', false],
  ])('port name %j valid: %s', (s, ok) => expect(checkIanaSvcName(s).length === 0).toBe(ok));

  it.each<[string, boolean]>([
    ['PATH', true],
    ['my.var', true],
    ['1ST', true],
    ['A B', true],
    ['A=B', false],
    ['', false],
    ['TAB\t', false],
  ])('env var name %j valid: %s', (s, ok) => expect(checkEnvVarName(s).length === 0).toBe(ok));
});

describe('deepEqual', () => {
  it.each<[unknown, unknown, boolean]>([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [null, {}, false],
    ['1', 1, false],
  ])('%j = %j: %s', (a, b, want) => expect(deepEqual(a, b)).toBe(want));
});
