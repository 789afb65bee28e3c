// Protobuf request bodies, as kubectl's typed clients send them (`kubectl create namespace`,
// `create configmap`, `create secret`). The payloads are byte for byte what kubectl 1.32 sent.
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../src/http/protobuf.js';
import { isApiError } from '@kite/apimachinery';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('decodeProtobufObject', () => {
  it.each([
    [
      'kubectl create namespace zz',
      '6b3873000a0f0a02763112094e616d657370616365121a0a120a027a7a12001a0022002a0032003800420012001a020a001a002200',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'zz' } },
    ],
    [
      'kubectl create configmap cfg --from-literal=a=b',
      '6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a0363666712001a0022002a0032003800420012060a01611201621a002200',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } },
    ],
    [
      'kubectl create secret generic s1 --from-literal=p=q',
      '6b3873000a0c0a0276311206536563726574121e0a120a02733112001a0022002a0032003800420012060a01701201711a001a002200',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { p: Buffer.from('q').toString('base64') } },
    ],
  ])('decodes %s', (_name, body, want) => {
    expect(decodeProtobufObject(hex(body))).toEqual(want);
  });

  it.each([
    ['a body without the magic number', '0a0f0a027631', 400],
    ['a truncated body', '6b3873000a0f0a0276', 400],
    ['a kind it cannot read', '6b3873000a090a0276311203506f6412001a002200', 415],
  ])('rejects %s', (_name, body, code) => {
    let caught: unknown;
    try {
      decodeProtobufObject(hex(body));
    } catch (err) {
      caught = err;
    }
    expect(isApiError(caught) && caught.code).toBe(code);
  });
});
