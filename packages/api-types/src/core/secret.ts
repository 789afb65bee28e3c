// core/v1 Secret: sensitive data (base64 in `data`). `stringData` is a write-only convenience that
// defaulting folds into `data`, as Kubernetes does on write.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, StringMap, type StatusCause } from '../meta/v1.js';
import { invalid, required, tooLong } from '../validation/causes.js';
import { deepEqual } from '../util/equal.js';
import { validateImmutable } from '../validation/fields.js';
import { validateDataKeys } from './configmap.js';

/** Total size of a Secret's data, as Kubernetes limits it (etcd's value limit). */
export const SECRET_DATA_MAX_BYTES = 1024 * 1024;

/** Well-known secret types and the keys each requires. */
export const SECRET_TYPE_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const Secret = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('Secret'),
    metadata: ObjectMeta,
    data: Type.Optional(Type.Record(Type.String(), Type.String({ format: 'byte' }), { description: 'Base64-encoded values.' })),
    stringData: Type.Optional(StringMap),
    type: Type.Optional(Type.String({ description: 'Opaque (default), kubernetes.io/tls, kubernetes.io/dockerconfigjson, ...' })),
    immutable: Type.Optional(Type.Boolean({ description: 'When true, data can no longer change.' })),
  },
  { description: 'A small amount of sensitive data, such as a password, token or key.' },
);
export type Secret = Static<typeof Secret>;

const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** UTF-8 then base64, without Node's Buffer so the package also loads in a browser. */
function toBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function defaultSecret(s: Secret): void {
  s.type ||= 'Opaque';
  if (s.stringData) {
    s.data ??= {};
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = toBase64(v);
    delete s.stringData;
  }
}

function validateSecret(s: Secret, old?: Secret): StatusCause[] {
  const out = [...validateDataKeys(s.data, 'data', new Set()), ...validateDataKeys(s.stringData, 'stringData', new Set())];
  let size = 0;
  for (const [k, v] of Object.entries(s.data ?? {})) {
    if (!base64Re.test(v)) out.push(invalid(`data[${k}]`, '<secret contents redacted>', 'must be base64-encoded'));
    size += Math.floor((v.length * 3) / 4);
  }
  if (size > SECRET_DATA_MAX_BYTES) out.push(tooLong('data', SECRET_DATA_MAX_BYTES));
  const keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
  for (const key of SECRET_TYPE_KEYS[s.type ?? ''] ?? []) if (!keys.has(key)) out.push(required(`data[${key}]`));
  if (s.type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) {
    out.push(required('data[username]', 'either username or password must be set'));
  }
  if (s.type === 'kubernetes.io/service-account-token' && !s.metadata.annotations?.['kubernetes.io/service-account.name']) {
    out.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (old) {
    out.push(...validateImmutable(s.type, old.type, 'type'));
    if (old.immutable) {
      if (!deepEqual(s.data ?? {}, old.data ?? {})) out.push(invalid('data', '<secret contents redacted>', 'field is immutable when `immutable` is set'));
      if (!s.immutable) out.push(invalid('immutable', s.immutable ?? null, 'field is immutable when `immutable` is set'));
    }
  }
  return out;
}

export const SecretResource = defineResource<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  schema: Secret,
  defaults: defaultSecret,
  validate: validateSecret,
  fieldSelectors: { type: (s) => s.type ?? '' },
});
