// The OpenAPI documents: the TypeBox-to-OpenAPI conversion (table of schema shapes), the documents
// generated from the registry (every kind findable the way kubectl looks, every $ref resolvable,
// nothing OpenAPI 3.0 lacks), and the HTTP routes with their caching headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntOrString, KeyedList, ObjectMeta, OptString, PodSpec, Quantity, StringEnum } from '@kite/api-types';
import { SchemaConverter, type OpenApiSchema } from '../src/http/openapi-schema.js';
import { COMPONENTS_REF, documentedResources, groupVersionDocument, groupVersionKey, groupVersionsOf, type OpenApiDocument } from '../src/http/openapi.js';
import { componentPrefix, kindComponentName } from '../src/http/openapi-components.js';
import { ADMIN, testPki } from '@kite/testing';
import { startTestServer, type TestServer } from './helpers/server.js';

const plainConverter = () => new SchemaConverter({ refPrefix: COMPONENTS_REF, nameOf: () => undefined });
const KIND = Symbol.for('TypeBox.Kind');
const OPTIONAL = Symbol.for('TypeBox.Optional');

describe('schema conversion', () => {
  it.each<[string, unknown, OpenApiSchema]>([
    ['a literal becomes a one-value enum', { [KIND]: 'Literal', const: 'v1', type: 'string' }, { type: 'string', enum: ['v1'] }],
    ['a record becomes additionalProperties', { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } }, { type: 'object', additionalProperties: { type: 'string' } }],
    ['a union of literals becomes an enum', { anyOf: [{ const: 'True', type: 'string' }, { const: 'False', type: 'string' }], description: 'd' }, { type: 'string', enum: ['True', 'False'], description: 'd' }],
    ['a union with null becomes nullable', { anyOf: [{ type: 'string' }, { type: 'null' }] }, { type: 'string', nullable: true }],
    ['a type list with null becomes nullable', { type: ['integer', 'null'] }, { type: 'integer', nullable: true }],
    ['int-or-string takes the structural form', IntOrString('port'), { 'x-kubernetes-int-or-string': true, description: 'port', format: 'int-or-string', anyOf: [{ type: 'integer' }, { type: 'string' }] }],
    ['a quantity is one of a string and a number', Quantity, { oneOf: [{ type: 'string', pattern: expect.any(String) as string }, { type: 'number' }], description: expect.stringContaining('resource amount') as string }],
    ['an unknown value preserves unknown fields', {}, { 'x-kubernetes-preserve-unknown-fields': true }],
    ['a numeric exclusiveMinimum becomes the boolean form', { type: 'integer', exclusiveMinimum: 0 }, { type: 'integer', minimum: 0, exclusiveMinimum: true }],
    ['examples become example', { type: 'string', examples: ['a', 'b'] }, { type: 'string', example: 'a' }],
    ['unsupported keywords are dropped', { type: 'string', $id: 'X', $schema: 'y', unevaluatedProperties: false, [OPTIONAL]: 'Optional' }, { type: 'string' }],
    [
      'an intersection of objects merges',
      { type: 'object', allOf: [{ type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'integer' } } }] },
      { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'integer' } } },
    ],
    ['an enum keeps its description', StringEnum(['TCP', 'UDP'] as const, { description: 'proto' }), { type: 'string', enum: ['TCP', 'UDP'], description: 'proto' }],
    [
      'a keyed list keeps the merge and list extensions',
      KeyedList({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as unknown as Parameters<typeof KeyedList>[0], 'name', 'entries'),
      {
        type: 'array',
        description: 'entries',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
    ],
  ])('%s', (_name, input, want) => {
    expect(plainConverter().convert(input)).toEqual(want);
  });

  it('leaves optional properties out of required and keeps required ones', () => {
    const out = plainConverter().convert({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, note: OptString('a note') } });
    expect(out).toEqual({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, note: { type: 'string', description: 'a note' } } });
  });

  it('emits a named schema once and refers to it, keeping a use-site description beside the $ref', () => {
    const named = { type: 'object', properties: { x: { type: 'string' } } };
    const converter = new SchemaConverter({ refPrefix: COMPONENTS_REF, nameOf: (s) => (s.properties === named.properties ? 'io.example.v1.Named' : undefined) });
    const out = converter.convert({ type: 'object', properties: { a: named, b: { ...named, description: 'the b' } } });
    expect(out.properties).toEqual({ a: { $ref: `${COMPONENTS_REF}io.example.v1.Named` }, b: { allOf: [{ $ref: `${COMPONENTS_REF}io.example.v1.Named` }], description: 'the b' } });
    expect(Object.keys(converter.components)).toEqual(['io.example.v1.Named']);
  });
});

describe('component names', () => {
  it.each([
    ['', 'v1', 'io.k8s.api.core.v1'],
    ['apps', 'v1', 'io.k8s.api.apps.v1'],
    ['coordination.k8s.io', 'v1', 'io.k8s.api.coordination.v1'],
    ['autoscaling', 'v2', 'io.k8s.api.autoscaling.v2'],
    ['kite.dev', 'v1alpha1', 'dev.kite.v1alpha1'],
  ])('group %j version %s is %s', (group, version, want) => {
    expect(componentPrefix(group, version)).toBe(want);
  });
});

/** Every value in a document, with its JSON path, depth first. */
function* walk(value: unknown, path = '$'): Generator<[string, unknown]> {
  yield [path, value];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) yield* walk(v, `${path}.${k}`);
}

type Operation = { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, unknown> }; 'x-kubernetes-group-version-kind'?: unknown };

describe.each(groupVersionsOf(documentedResources).map((gv) => [groupVersionKey(gv), gv] as const))('document %s', (_key, gv) => {
  const doc: OpenApiDocument = groupVersionDocument(gv);
  const schemas = doc.components.schemas;
  const kinds = documentedResources.filter((r) => r.group === gv.group && r.version === gv.version);

  it('is OpenAPI 3.0', () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info.version).toBe('v1.32.0');
  });

  it('resolves every $ref inside the document', () => {
    for (const [path, value] of walk(doc)) {
      if (typeof value !== 'object' || value === null || !('$ref' in value)) continue;
      const ref = String((value as { $ref: unknown }).$ref);
      expect(ref.startsWith(COMPONENTS_REF), path).toBe(true);
      expect(schemas[ref.slice(COMPONENTS_REF.length)], `${path} -> ${ref}`).toBeDefined();
    }
  });

  it('uses no JSON Schema keyword that OpenAPI 3.0 lacks', () => {
    for (const [path, value] of walk(doc.components)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || path.endsWith('.properties')) continue;
      for (const key of ['const', 'patternProperties', '$id', '$schema', 'unevaluatedProperties', 'examples']) expect(Object.keys(value), path).not.toContain(key);
      const type = (value as { type?: unknown }).type;
      if (type !== undefined && !path.includes('.properties.type')) expect(typeof type, `${path}.type`).toBe('string');
    }
  });

  it.each(kinds.map((rt) => [rt.kind, rt] as const))('describes %s the way kubectl looks it up', (kind, rt) => {
    const component = schemas[kindComponentName(rt)];
    expect(component?.['x-kubernetes-group-version-kind']).toEqual([{ group: rt.group, version: rt.version, kind }]);
    expect(component?.type).toBe('object');
    expect(schemas[`${componentPrefix(rt.group, rt.version)}.${rt.listKind}`]?.['x-kubernetes-group-version-kind']).toEqual([{ group: rt.group, version: rt.version, kind: rt.listKind }]);

    const prefix = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
    const item = `${prefix}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}/{name}`;
    const pathItem = doc.paths[item] as Record<string, Operation> | undefined;
    expect(Object.keys(pathItem ?? {})).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
    const patch = pathItem?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: rt.group, version: rt.version, kind });
    expect(patch?.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(Object.keys(patch?.requestBody?.content ?? {})).toContain('application/strategic-merge-patch+json');

    // Every PATCH carrying this kind's GVK must list fieldValidation: kubectl checks whichever it meets first.
    for (const [path, ops] of Object.entries(doc.paths)) {
      const op = (ops as Record<string, Operation>).patch;
      if (JSON.stringify(op?.['x-kubernetes-group-version-kind']) === JSON.stringify({ group: rt.group, version: rt.version, kind })) {
        expect(op?.parameters, path).toContainEqual(expect.objectContaining({ name: 'fieldValidation' }));
      }
    }
  });
});

describe('core/v1 document', () => {
  const doc = groupVersionDocument({ group: '', version: 'v1' });
  const schemas = doc.components.schemas;

  it('names shared schemas like Kubernetes and refers to them', () => {
    expect(schemas['io.k8s.api.core.v1.Pod']?.properties).toMatchObject({
      metadata: { $ref: `${COMPONENTS_REF}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` },
      spec: { $ref: `${COMPONENTS_REF}io.k8s.api.core.v1.PodSpec` },
    });
    expect(Object.keys(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.properties as object)).toEqual(Object.keys(ObjectMeta.properties));
  });

  it('keeps the merge keys strategic merge patch needs', () => {
    const spec = schemas['io.k8s.api.core.v1.PodSpec']?.properties as Record<string, OpenApiSchema>;
    expect(spec.containers).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', items: { $ref: `${COMPONENTS_REF}io.k8s.api.core.v1.Container` } });
    const container = schemas['io.k8s.api.core.v1.Container']?.properties as Record<string, OpenApiSchema>;
    expect(container.ports).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort' });
    expect(container.env).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name' });
  });

  it('refers to the shared int-or-string and quantity types, keeping each field\'s description', () => {
    const port = (schemas['io.k8s.api.core.v1.ServicePort']?.properties as Record<string, OpenApiSchema>).targetPort;
    expect(port).toEqual({ allOf: [{ $ref: `${COMPONENTS_REF}io.k8s.apimachinery.pkg.util.intstr.IntOrString` }], description: expect.stringContaining('port on the pods') as string });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    const limits = (schemas['io.k8s.api.core.v1.ResourceRequirements']?.properties as Record<string, OpenApiSchema>).limits;
    expect(limits).toEqual({ type: 'object', additionalProperties: { $ref: `${COMPONENTS_REF}io.k8s.apimachinery.pkg.api.resource.Quantity` } });
  });

  it('keeps required fields and descriptions', () => {
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.required).toEqual(PodSpec.required);
    expect(schemas['io.k8s.api.core.v1.Container']?.required).toContain('name');
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.description).toBe(PodSpec.description);
  });

  it('serves the scale, status, binding and log subresources of the kinds that have them', () => {
    expect(doc.paths).toHaveProperty(['/api/v1/namespaces/{namespace}/pods/{name}/status']);
    expect(doc.paths).toHaveProperty(['/api/v1/namespaces/{namespace}/pods/{name}/binding']);
    expect(doc.paths).toHaveProperty(['/api/v1/namespaces/{namespace}/pods/{name}/log']);
    expect(doc.paths).toHaveProperty(['/api/v1/pods']);
    expect(doc.paths).not.toHaveProperty(['/api/v1/namespaces/{namespace}/configmaps/{name}/status']);
    const apps = groupVersionDocument({ group: 'apps', version: 'v1' });
    const scale = (apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'] as Record<string, Operation>).patch;
    expect(scale?.['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
    expect(apps.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
  });
});

describe('OpenAPI routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.stop());

  const get = async (path: string, headers: Record<string, string> = {}) => (await (await testPki()).fetcher(ADMIN))(`${t.url}${path}`, { headers, redirect: 'manual' });

  it('lists every group-version in the index, each with a hashed URL', async () => {
    const res = await get('/openapi/v3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const index = (await res.json()) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths).sort()).toEqual(groupVersionsOf(documentedResources).map(groupVersionKey).sort());
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('serves a hashed document as immutable, and the same document without a hash as no-cache', async () => {
    const index = (await (await get('/openapi/v3')).json()) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths['apis/apps/v1']?.serverRelativeURL ?? '';
    const hashed = await get(url);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toMatch(/public, immutable/);
    const body = (await hashed.json()) as OpenApiDocument;
    expect(body.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();

    const plain = await get('/openapi/v3/apis/apps/v1');
    expect(plain.headers.get('cache-control')).toBe('no-cache, private');
    expect(await plain.json()).toEqual(body);
  });

  it('redirects a stale hash to the current one', async () => {
    const res = await get('/openapi/v3/api/v1?hash=STALE');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get('/openapi/v3/api/v1');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await get('/openapi/v3/api/v1', { 'if-none-match': etag })).status).toBe(304);
  });

  it.each([
    ['an unknown group-version', '/openapi/v3/apis/nope/v1', {}, 404, 'NotFound'],
    ['a client that only accepts protobuf', '/openapi/v3/api/v1', { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' }, 406, 'NotAcceptable'],
  ])('answers %s with a Status', async (_name, path, headers, code, reason) => {
    const res = await get(path, headers);
    expect(res.status).toBe(code);
    expect(await res.json()).toMatchObject({ kind: 'Status', code, reason });
  });
});
