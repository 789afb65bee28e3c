// EncryptionConfiguration parsing and the sealed envelope: refusals name the field at fault, and a
// value sealed for one object cannot be opened as another (the storage key is the context).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StorageCodec } from '../../../src/storage/codec.js';
import { parseEncryptionConfig } from '../../../src/storage/encryption/config.js';

const config = (providers: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers}`;
const k32 = randomBytes(32).toString('base64');

describe('parseEncryptionConfig', () => {
  it.each([
    ['a short aesgcm key', `      - aesgcm: {keys: [{name: k, secret: "${randomBytes(10).toString('base64')}"}]}\n`, 'secret is not of the expected length, got 10, expected one of [16 24 32]'],
    ['a secretbox key that is not 32 bytes', `      - secretbox: {keys: [{name: k, secret: "${randomBytes(16).toString('base64')}"}]}\n`, 'got 16, expected one of [32]'],
    ['an unknown provider', '      - aescbc2: {}\n', 'Unsupported value: "aescbc2"'],
    ['a key without a name', `      - aesgcm: {keys: [{secret: "${k32}"}]}\n`, 'resources[0].providers[0].aesgcm.keys[0].name: Required value'],
    ['no providers', '      []\n', 'at least one provider is required'],
  ])('refuses %s', (_name, providers, message) => {
    expect(() => parseEncryptionConfig(config(providers))).toThrow(message);
  });

  it('refuses another kind', () => {
    expect(() => parseEncryptionConfig('apiVersion: v1\nkind: ConfigMap\n')).toThrow('kind must be EncryptionConfiguration');
  });
});

describe('StorageCodec', () => {
  const codec = new StorageCodec(parseEncryptionConfig(config(`      - aesgcm: {keys: [{name: k1, secret: "${k32}"}]}\n      - identity: {}\n`)));
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'ns', resourceVersion: '7' }, data: { p: 'cGxhaW4=' } };
  const stored = (name: string) => {
    const { head, tail } = codec.splitForWrite('secrets', { ...secret, metadata: { ...secret.metadata, name } });
    return `${head}9${tail}`;
  };

  it('round-trips with the revision the store spliced in', () => {
    const json = stored('a');
    expect(json).not.toContain('cGxhaW4=');
    expect(codec.decode('secrets', json)).toEqual({ ...secret, metadata: { ...secret.metadata, resourceVersion: '9' } });
  });

  it('refuses a sealed value moved under another name', () => {
    const moved = stored('a').replace('"name":"a"', '"name":"b"');
    expect(() => codec.decode('secrets', moved)).toThrow();
  });

  it('reads plaintext written before encryption, and marks it for rewriting', () => {
    const plain = codec.decode('secrets', JSON.stringify(secret));
    expect(plain).toEqual(secret);
    expect(codec.isStale(plain)).toBe(true);
    expect(codec.isStale(codec.decode('secrets', stored('a')))).toBe(false);
  });

  it('leaves other resources alone', () => {
    const { head, tail } = codec.splitForWrite('configmaps', { ...secret, kind: 'ConfigMap' });
    expect(`${head}1${tail}`).toContain('cGxhaW4=');
  });
});
