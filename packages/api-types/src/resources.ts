// Every kind the apiserver serves. Adding a kind here makes it appear in REST paths, discovery,
// OpenAPI and the typed client.
import type { KubeObject } from './meta/v1.js';
import type { ResourceType } from './registry.js';
import { ConfigMapResource } from './core/configmap.js';
import { NamespaceResource } from './core/namespace.js';

export const allResources: readonly ResourceType[] = [NamespaceResource, ConfigMapResource].map(
  (r) => r as unknown as ResourceType,
);

const byPath = new Map<string, ResourceType>();
const byKind = new Map<string, ResourceType>();
for (const r of allResources) {
  byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
  byKind.set(`${r.apiVersion}/${r.kind}`, r);
}

/** The kind served at `/api(s)/GROUP/VERSION/PLURAL`, if any. */
export function resourceForPath(group: string, version: string, plural: string): ResourceType | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** The kind with this apiVersion and kind, if any. */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** Narrows a registry entry to its object type, for typed code that knows the kind. */
export function typed<T extends KubeObject>(r: ResourceType<T>): ResourceType<T> {
  return r;
}
