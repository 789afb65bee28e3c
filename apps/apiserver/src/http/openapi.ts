// Builds the OpenAPI 3.0 documents the server publishes, one per group-version as Kubernetes does
// (`/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`), from the resource registry of
// packages/api-types: every kind's schema is the TypeBox schema that validates its requests,
// converted (openapi-schema.ts), never a hand-written copy. kubectl needs these documents for
// `create` and `apply` (BRIEF §8); `kubectl explain` reads them too.
import { Binding, DeleteOptions, ListMeta, Scale, Status, allResources, convertedResources, type ResourceType } from '@kite/api-types';
import { PATCH_NAME, PATCH_SCHEMA, canonicalSchema, componentNamer, gvk, listComponentName } from './openapi-components.js';
import { resourcePaths, restPrefix } from './openapi-paths.js';
import { SchemaConverter, type OpenApiSchema } from './openapi-schema.js';
import { VERSION_INFO } from './discovery.js';

/** The stored kinds and the versions converted from them (autoscaling/v1), each with its own schema. */
export const documentedResources: readonly ResourceType[] = [...allResources, ...convertedResources];

export const COMPONENTS_REF = '#/components/schemas/';
/** `x-kubernetes-group-version-kind`: how kubectl finds the schema and the PATCH operation of a kind. */
export const GVK_EXTENSION = 'x-kubernetes-group-version-kind';

export interface GroupVersion {
  group: string;
  version: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** The key of a group-version in the `/openapi/v3` index: `api/v1` or `apis/apps/v1`. */
export function groupVersionKey(gv: GroupVersion): string {
  return restPrefix(gv.group, gv.version).slice(1);
}

/** Every group-version the registry serves, core first, in registry order. */
export function groupVersionsOf(resources: readonly ResourceType[]): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const r of resources) seen.set(groupVersionKey(r), { group: r.group, version: r.version });
  return [...seen.values()].sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
}

/** The list kind of `rt`: a list of references to the kind. */
function listSchema(rt: ResourceType, listMeta: OpenApiSchema, item: OpenApiSchema): OpenApiSchema {
  return {
    description: `${rt.listKind} is a list of ${rt.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'The REST resource this object represents.' },
      metadata: listMeta,
      items: { type: 'array', items: item, description: `The ${rt.plural}.` },
    },
    [GVK_EXTENSION]: [gvk(rt.group, rt.version, rt.listKind)],
  };
}

/** Converts `schema` into a component (a `$ref` to it) and marks the component with its kind. */
function kindRef(converter: SchemaConverter, schema: unknown, kind: ReturnType<typeof gvk>): OpenApiSchema {
  const reference = converter.convert(schema);
  const name = String(reference.$ref ?? '').slice(COMPONENTS_REF.length);
  const component = converter.components[name];
  if (component) component[GVK_EXTENSION] = [kind];
  return reference;
}

/** The OpenAPI 3.0 document of one group-version. */
export function groupVersionDocument(gv: GroupVersion, resources: readonly ResourceType[] = documentedResources): OpenApiDocument {
  const converter = new SchemaConverter({ refPrefix: COMPONENTS_REF, nameOf: componentNamer(resources), canonicalOf: canonicalSchema });
  const schemas = converter.components;
  const kinds = resources.filter((r) => r.group === gv.group && r.version === gv.version);
  const shared = {
    patch: { $ref: `${COMPONENTS_REF}${PATCH_NAME}` },
    deleteOptions: kindRef(converter, DeleteOptions, gvk('', 'v1', 'DeleteOptions')),
    scale: kinds.some((rt) => rt.subresources.scale) ? kindRef(converter, Scale, gvk('autoscaling', 'v1', 'Scale')) : {},
    binding: kinds.some((rt) => rt.kind === 'Pod') ? kindRef(converter, Binding, gvk('', 'v1', 'Binding')) : {},
  };
  kindRef(converter, Status, gvk('', 'v1', 'Status'));
  schemas[PATCH_NAME] = PATCH_SCHEMA;

  const paths: Record<string, unknown> = {};
  for (const rt of kinds) {
    const kind = kindRef(converter, rt.schema, gvk(rt.group, rt.version, rt.kind));
    schemas[listComponentName(rt)] = listSchema(rt, converter.convert(ListMeta), kind);
    Object.assign(paths, resourcePaths(rt, { ...shared, kind, list: { $ref: `${COMPONENTS_REF}${listComponentName(rt)}` } }));
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion }, paths, components: { schemas: sorted } };
}
