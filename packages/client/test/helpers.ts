// Tiny builders for unit tests: objects with just the fields the code under test reads.
import type { KubeObject } from '@kite/api-types';

export interface TestObj extends KubeObject {
  spec?: { nodeName?: string; value?: number };
}

/** `cm('ns/name', rv, nodeName?)` or `cm('name', rv)` for a cluster-scoped object. */
export function obj(key: string, rv: string | number, nodeName?: string, labels?: Record<string, string>): TestObj {
  const [namespace, name] = key.includes('/') ? key.split('/') : [undefined, key];
  const o: TestObj = { apiVersion: 'v1', kind: 'Thing', metadata: { name, resourceVersion: String(rv) } };
  if (namespace) o.metadata.namespace = namespace;
  if (labels) o.metadata.labels = labels;
  if (nodeName !== undefined) o.spec = { nodeName };
  return o;
}
