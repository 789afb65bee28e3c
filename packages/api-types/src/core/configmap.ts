// core/v1 ConfigMap: non-secret configuration as string (data) or base64 (binaryData) values.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, StringMap } from '../meta/v1.js';
import { deepEqual } from '../util/equal.js';
import { invalid, duplicate } from '../validation/causes.js';
import type { StatusCause } from '../meta/v1.js';

export const ConfigMap = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('ConfigMap'),
    metadata: ObjectMeta,
    data: Type.Optional(StringMap),
    binaryData: Type.Optional(StringMap),
    immutable: Type.Optional(Type.Boolean()),
  },
  { description: 'Configuration data for pods to consume.' },
);
export type ConfigMap = Static<typeof ConfigMap>;

/** Keys of ConfigMap and Secret data: file names that may be mounted into a pod. */
const configKey = /^[-._a-zA-Z0-9]+$/;

export function validateDataKeys(data: Record<string, string> | undefined, field: string, seen: Set<string>): StatusCause[] {
  const out: StatusCause[] = [];
  for (const key of Object.keys(data ?? {})) {
    if (!configKey.test(key) || key.length > 253 || key === '.' || key === '..') {
      out.push(invalid(`${field}[${JSON.stringify(key)}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
    }
    if (seen.has(key)) out.push(duplicate(`${field}[${JSON.stringify(key)}]`, key));
    seen.add(key);
  }
  return out;
}

export const ConfigMapResource = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  shortNames: ['cm'],
  namespaced: true,
  schema: ConfigMap,
  validate: (cm, old) => {
    const seen = new Set<string>();
    const out = [...validateDataKeys(cm.data, 'data', seen), ...validateDataKeys(cm.binaryData, 'binaryData', seen)];
    if (old?.immutable && !deepEqual([old.data, old.binaryData], [cm.data, cm.binaryData])) {
      out.push(invalid('data', '', 'field is immutable when `immutable` is set'));
    }
    // Once immutable, always immutable: unsetting the flag would reopen the data.
    if (old?.immutable && !cm.immutable) out.push(invalid('immutable', cm.immutable ?? null, 'field is immutable when `immutable` is set'));
    return out;
  },
});
