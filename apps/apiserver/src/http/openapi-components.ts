// Names of the OpenAPI components. They follow Kubernetes (`io.k8s.api.core.v1.Pod`,
// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`), because kubectl finds a kind's schema by the
// `x-kubernetes-group-version-kind` extension on it, `kubectl explain` shows the last segment as
// the field's type (`spec <PodSpec>`), and people reading the document expect the familiar names.
//
// Which schemas become components is derived, not listed: every kind of the registry, and every
// object schema that packages/api-types exports by name (PodSpec, Container, ...), so a new export
// shows up without a change here. An export's package prefix is the group-version of the first
// kind (core first) that contains it; HOMES places the few that no kind contains, or that
// Kubernetes keeps in another group than their first user. Int-or-string fields, which api-types
// builds one by one, all refer to one IntOrString component, so explain shows `<IntOrString>`.
import * as apiTypes from '@kite/api-types';
import { IntOrString, type ResourceType } from '@kite/api-types';
import type { OpenApiSchema } from './openapi-schema.js';

/** Prefix of the meta/v1 types shared by every group. */
export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE_V1 = 'io.k8s.api.core.v1';
export const PATCH_NAME = `${META_V1}.Patch`;
/** Every int-or-string field refers to this one component, as in Kubernetes. */
export const INT_OR_STRING_NAME = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_EXTENSION = 'x-kubernetes-int-or-string';

/** Package prefixes of exports whose home is not their first containing kind's group. */
const HOMES: Readonly<Record<string, string>> = {
  ObjectMeta: META_V1,
  ListMeta: META_V1,
  OwnerReference: META_V1,
  LabelSelector: META_V1,
  LabelSelectorRequirement: META_V1,
  Status: META_V1,
  DeleteOptions: META_V1,
  Preconditions: META_V1,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource',
  Scale: 'io.k8s.api.autoscaling.v1',
  ScaleSpec: 'io.k8s.api.autoscaling.v1',
  ScaleStatus: 'io.k8s.api.autoscaling.v1',
  Binding: CORE_V1,
  PodTemplateSpec: CORE_V1,
  ObjectReference: CORE_V1,
};

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The `x-kubernetes-group-version-kind` value of an operation (one) or a schema (a list of one). */
export function gvk(group: string, version: string, kind: string): GroupVersionKind {
  return { group, version, kind };
}

/**
 * The package-like prefix Kubernetes gives a group's types: the core group is `io.k8s.api.core`,
 * `apps` and `coordination.k8s.io` are `io.k8s.api.apps` and `io.k8s.api.coordination`; a group
 * outside Kubernetes is its reversed domain (`kite.dev` -> `dev.kite`), as for custom resources.
 */
export function componentPrefix(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0] ?? group}.${version}`;
  return `${group.split('.').reverse().join('.')}.${version}`;
}

export function kindComponentName(rt: ResourceType): string {
  return `${componentPrefix(rt.group, rt.version)}.${rt.kind}`;
}

export function listComponentName(rt: ResourceType): string {
  return `${componentPrefix(rt.group, rt.version)}.${rt.listKind}`;
}

/** The component name of a shared api-types export (`Scale`, `DeleteOptions`), if it has one. */
export function exportComponentName(exportName: string): string | undefined {
  const home = HOMES[exportName];
  return home ? `${home}.${exportName}` : undefined;
}

type Node = Readonly<Record<string, unknown>>;

function asNode(x: unknown): Node | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Node) : undefined;
}

/** An object schema with properties: what may become a named component. */
function isObjectSchema(x: unknown): x is Node {
  const n = asNode(x);
  return n !== undefined && n.type === 'object' && asNode(n.properties) !== undefined;
}

/**
 * Identities that stand for one schema: the schema and its `properties` object (or `anyOf` list),
 * because Type.Optional(X) makes a shallow copy of X that still shares X's properties.
 */
function identities(n: Node): object[] {
  const shared = asNode(n.properties) ?? (Array.isArray(n.anyOf) ? n.anyOf : undefined);
  return shared ? [n, shared] : [n];
}

/** Every schema node under `root` (children of combiners, properties, items, maps). */
function collectNodes(root: unknown, into: Set<object>, visited = new Set<object>()): void {
  const n = asNode(root);
  if (!n || visited.has(n)) return;
  visited.add(n);
  for (const id of identities(n)) into.add(id);
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) value.forEach((v) => collectNodes(v, into, visited));
    else if (asNode(value)) collectNodes(value, into, visited);
  }
}

/** Names the schemas that become components; everything else is inlined. */
export function componentNamer(resources: readonly ResourceType[]): (schema: Node) => string | undefined {
  const names = new Map<object, string>();
  const add = (schema: Node, name: string) => {
    for (const id of identities(schema)) if (!names.has(id)) names.set(id, name);
  };
  for (const rt of resources) add(rt.schema as Node, kindComponentName(rt));
  const byGroup = [...resources].sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
  const contents = byGroup.map((rt) => {
    const nodes = new Set<object>();
    collectNodes(rt.schema, nodes);
    return { prefix: componentPrefix(rt.group, rt.version), nodes };
  });
  for (const [exportName, value] of Object.entries(apiTypes)) {
    const placed = HOMES[exportName] !== undefined && asNode(value) !== undefined;
    if (!/^[A-Z]/.test(exportName) || !(placed || isObjectSchema(value)) || names.has(value as Node)) continue;
    const node = value as Node;
    const home = HOMES[exportName] ?? contents.find((c) => identities(node).some((id) => c.nodes.has(id)))?.prefix;
    if (home) add(node, `${home}.${exportName}`);
  }
  return (schema) => {
    if (schema[INT_OR_STRING_EXTENSION] === true) return INT_OR_STRING_NAME;
    for (const id of identities(schema)) {
      const name = names.get(id);
      if (name) return name;
    }
    return undefined;
  };
}

/**
 * The schema a component is emitted from when it is not the first use met: int-or-string fields
 * each build their own union with their own description, and the component takes none of them.
 */
export function canonicalSchema(name: string): unknown {
  return name === INT_OR_STRING_NAME ? IntOrString("A number or a string, such as a port (80 or 'http') or a percentage ('25%').") : undefined;
}

/** Body of a PATCH: its shape depends on the Content-Type, so the schema only says "an object". */
export const PATCH_SCHEMA: OpenApiSchema = {
  description: 'A patch: a JSON patch (RFC 6902), a JSON merge patch (RFC 7396), a strategic merge patch or an apply configuration, as the Content-Type says.',
  type: 'object',
};
