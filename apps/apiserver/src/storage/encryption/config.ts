// `--encryption-provider-config`: Kubernetes' EncryptionConfiguration file
// (apiserver.config.k8s.io/v1), for example
//
//   apiVersion: apiserver.config.k8s.io/v1
//   kind: EncryptionConfiguration
//   resources:
//     - resources: [secrets]
//       providers:
//         - aesgcm: {keys: [{name: key2, secret: <base64 of 16, 24 or 32 bytes>}]}
//         - secretbox: {keys: [{name: key1, secret: <base64 of 32 bytes>}]}
//         - identity: {}
//
// The first provider's first key encrypts every write; every listed key can read, so a key rotates
// by adding the new one first, rewriting the objects, then dropping the old one.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { aesGcmProvider, identityProvider, secretboxProvider, type KeyedProvider } from './providers.js';
import { ResourceTransformer } from './transformer.js';

interface KeySpec {
  name?: unknown;
  secret?: unknown;
}

const AES_SIZES = [16, 24, 32];

function decodeKey(kind: string, key: KeySpec, at: string): { name: string; secret: Buffer } {
  if (typeof key.name !== 'string' || key.name === '') throw new Error(`${at}.name: Required value`);
  if (key.name.includes(':')) throw new Error(`${at}.name: Invalid value: "${key.name}": should not contain ':'`);
  if (typeof key.secret !== 'string' || key.secret === '') throw new Error(`${at}.secret: Required value`);
  const secret = Buffer.from(key.secret, 'base64');
  const ok = kind === 'aesgcm' ? AES_SIZES.includes(secret.length) : secret.length === 32;
  if (!ok) throw new Error(`${at}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of [${kind === 'aesgcm' ? AES_SIZES.join(' ') : '32'}]`);
  return { name: key.name, secret };
}

function providersOf(list: unknown, at: string): KeyedProvider[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${at}: Required value: at least one provider is required`);
  const out: KeyedProvider[] = [];
  list.forEach((entry: Record<string, { keys?: KeySpec[] }>, i) => {
    const kinds = Object.keys(entry ?? {});
    if (kinds.length !== 1) throw new Error(`${at}[${i}]: Invalid value: exactly one provider must be configured per entry`);
    const kind = kinds[0] as string;
    if (kind === 'identity') return out.push(identityProvider);
    if (kind !== 'aesgcm' && kind !== 'secretbox') throw new Error(`${at}[${i}]: Unsupported value: "${kind}": supported values: "aesgcm", "secretbox", "identity"`);
    const keys = entry[kind]?.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${at}[${i}].${kind}.keys: Required value`);
    keys.forEach((k, j) => {
      const { name, secret } = decodeKey(kind, k, `${at}[${i}].${kind}.keys[${j}]`);
      out.push(kind === 'aesgcm' ? aesGcmProvider(name, secret) : secretboxProvider(name, secret));
    });
    return undefined;
  });
  return out;
}

/** Parses the file's text: resource (plural, or `plural.group`) → its transformer. */
export function parseEncryptionConfig(text: string): Map<string, ResourceTransformer> {
  const doc = parse(text) as { apiVersion?: string; kind?: string; resources?: Array<{ resources?: unknown; providers?: unknown }> } | null;
  if (!doc || doc.kind !== 'EncryptionConfiguration') throw new Error('encryption provider config: kind must be EncryptionConfiguration');
  if (doc.apiVersion !== 'apiserver.config.k8s.io/v1') throw new Error(`encryption provider config: unsupported apiVersion ${JSON.stringify(doc.apiVersion)} (want apiserver.config.k8s.io/v1)`);
  const byResource = new Map<string, ResourceTransformer>();
  (doc.resources ?? []).forEach((r, i) => {
    const at = `resources[${i}]`;
    if (!Array.isArray(r.resources) || r.resources.length === 0) throw new Error(`${at}.resources: Required value`);
    const transformer = new ResourceTransformer(providersOf(r.providers, `${at}.providers`));
    for (const name of r.resources as string[]) {
      // The first entry naming a resource wins, as in Kubernetes.
      if (!byResource.has(name)) byResource.set(name, transformer);
    }
  });
  return byResource;
}

export function loadEncryptionConfig(path: string): Map<string, ResourceTransformer> {
  return parseEncryptionConfig(readFileSync(path, 'utf8'));
}
