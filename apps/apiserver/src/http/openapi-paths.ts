// The `paths` of a group-version's OpenAPI document: one path item per REST path a kind is served
// at, with its operations. kubectl reads two things from here (BRIEF §8): a PATCH operation whose
// `x-kubernetes-group-version-kind` names the kind and that lists a `fieldValidation` query
// parameter (then `create`/`apply` leave validation to the server), and the strategic merge patch
// content type in that operation's request body (then client-side `apply` builds its patch from
// this document's schemas).
import type { ResourceType } from '@kite/api-types';
import { gvk, type GroupVersionKind } from './openapi-components.js';
import type { OpenApiSchema } from './openapi-schema.js';

type Json = { [key: string]: unknown };

/** References to the components an operation answers with or accepts. */
export interface OperationRefs {
  kind: OpenApiSchema;
  list: OpenApiSchema;
  patch: OpenApiSchema;
  deleteOptions: OpenApiSchema;
  scale: OpenApiSchema;
  binding: OpenApiSchema;
}

/** Media types every object operation answers in; protobuf is never served. */
const OBJECT_MEDIA = ['application/json', 'application/yaml'];
/** Lists also stream as watch events. */
const LIST_MEDIA = [...OBJECT_MEDIA, 'application/json;stream=watch'];
/** The PATCH content types resource-handler.ts accepts, strategic merge patch among them. */
const PATCH_MEDIA = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function query(name: string, description: string, schema: Json = { type: 'string' }): Json {
  return { name, in: 'query', description, schema };
}

function pathParam(name: string, description: string): Json {
  return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}

const INT = { type: 'integer' };
const BOOL = { type: 'boolean' };

const LIST_PARAMS = [
  query('labelSelector', 'Selects objects by their labels: `a=b,c!=d,e in (x,y),!f`.'),
  query('fieldSelector', 'Selects objects by fields such as metadata.name or spec.nodeName.'),
  query('limit', 'Largest number of items to return; `continue` fetches the rest.', INT),
  query('continue', 'The token of a previous, limited list to continue from.'),
  query('resourceVersion', 'List at or after this resourceVersion; for a watch, stream changes after it.'),
  query('resourceVersionMatch', 'How resourceVersion applies to a list.'),
  query('timeoutSeconds', 'Longest time a list or watch call may last.', INT),
  query('watch', 'Stream changes instead of listing.', BOOL),
  query('allowWatchBookmarks', 'Let the watch send BOOKMARK events.', BOOL),
  query('sendInitialEvents', 'Start the watch with synthetic ADDED events for the current state.', BOOL),
];
const DRY_RUN = query('dryRun', "'All' runs every stage of the request but the write.");
const WRITE_PARAMS = [
  DRY_RUN,
  query('fieldManager', 'Name of the actor making the change, for managed fields.'),
  query('fieldValidation', 'What to do with unknown or duplicate fields: Ignore, Warn or Strict.'),
];
const DELETE_PARAMS = [
  DRY_RUN,
  query('gracePeriodSeconds', 'Seconds before the object is deleted; 0 deletes at once.', INT),
  query('propagationPolicy', 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.'),
  query('orphanDependents', "Deprecated: use propagationPolicy 'Orphan'.", BOOL),
];
const LOG_PARAMS = [
  query('container', 'The container whose log to return; optional when the pod has one container.'),
  query('follow', 'Stream the log as it grows.', BOOL),
  query('tailLines', 'Only the last lines of the log.', INT),
  query('previous', "The log of the container's previous instance.", BOOL),
  query('timestamps', 'Prefix each line with its time.', BOOL),
  query('sinceSeconds', 'Only lines newer than this many seconds.', INT),
  query('limitBytes', 'Stop after this many bytes.', INT),
];

function content(schema: OpenApiSchema, media: readonly string[]): Json {
  return Object.fromEntries(media.map((m) => [m, { schema }]));
}

function ok(schema: OpenApiSchema, description = 'OK', media: readonly string[] = OBJECT_MEDIA): Json {
  return { description, content: content(schema, media) };
}

interface OperationSpec {
  id: string;
  action: string;
  description: string;
  gvk: GroupVersionKind;
  tag: string;
  parameters?: Json[];
  body?: Json;
  responses: Json;
}

function operation(o: OperationSpec): Json {
  return {
    tags: [o.tag],
    description: o.description,
    operationId: o.id,
    ...(o.parameters ? { parameters: o.parameters } : {}),
    ...(o.body ? { requestBody: o.body } : {}),
    responses: o.responses,
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

/** `coordination.k8s.io` -> `Coordination`, `` -> `Core`, `kite.dev` -> `KiteDev`. */
function groupId(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The Kubernetes tag of a group-version: `core_v1`, `apps_v1`, `coordination_v1`. */
export function tagOf(group: string, version: string): string {
  const id = groupId(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

/** REST path prefix of a group-version: `/api/v1` or `/apis/GROUP/VERSION`. */
export function restPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The path items serving one kind, keyed by path. */
export function resourcePaths(rt: ResourceType, refs: OperationRefs): Record<string, Json> {
  const tag = tagOf(rt.group, rt.version);
  const kindGvk = gvk(rt.group, rt.version, rt.kind);
  const base = `${groupId(rt.group)}${rt.version.charAt(0).toUpperCase()}${rt.version.slice(1)}`;
  const scoped = `${rt.namespaced ? 'Namespaced' : ''}${rt.kind}`;
  const op = (verb: string, suffix: string, rest: Omit<OperationSpec, 'id' | 'gvk' | 'tag'> & { gvk?: GroupVersionKind }) =>
    operation({ gvk: kindGvk, tag, ...rest, id: `${verb}${base}${suffix}` });
  const prefix = restPrefix(rt.group, rt.version);
  const collection = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.plural}` : `${prefix}/${rt.plural}`;
  const object = `${collection}/{name}`;
  const scopeParams = rt.namespaced ? [pathParam('namespace', 'Namespace of the objects.')] : [];
  const objectParams = [pathParam('name', `Name of the ${rt.kind}.`), ...scopeParams];
  const patchBody = { required: true, content: content(refs.patch, PATCH_MEDIA) };
  const objectBody = { required: true, content: content(refs.kind, OBJECT_MEDIA) };
  const deleteBody = { content: content(refs.deleteOptions, OBJECT_MEDIA) };
  const written = { '200': ok(refs.kind), '201': ok(refs.kind, 'Created') };

  const paths: Record<string, Json> = {
    [collection]: {
      parameters: scopeParams,
      get: op('list', scoped, { action: 'list', description: `list or watch objects of kind ${rt.kind}`, parameters: LIST_PARAMS, responses: { '200': ok(refs.list, 'OK', LIST_MEDIA) } }),
      post: op('create', scoped, { action: 'post', description: `create a ${rt.kind}`, parameters: WRITE_PARAMS, body: objectBody, responses: { ...written, '202': ok(refs.kind, 'Accepted') } }),
      delete: op('delete', `Collection${scoped}`, { action: 'deletecollection', description: `delete collection of ${rt.kind}`, parameters: [...LIST_PARAMS, ...DELETE_PARAMS], body: deleteBody, responses: { '200': ok(refs.list) } }),
    },
    [object]: {
      parameters: objectParams,
      get: op('read', scoped, { action: 'get', description: `read the specified ${rt.kind}`, responses: { '200': ok(refs.kind) } }),
      put: op('replace', scoped, { action: 'put', description: `replace the specified ${rt.kind}`, parameters: WRITE_PARAMS, body: objectBody, responses: written }),
      patch: op('patch', scoped, { action: 'patch', description: `partially update the specified ${rt.kind}`, parameters: [...WRITE_PARAMS, query('force', 'Take ownership of conflicting fields in an apply.', BOOL)], body: patchBody, responses: written }),
      delete: op('delete', scoped, { action: 'delete', description: `delete a ${rt.kind}`, parameters: DELETE_PARAMS, body: deleteBody, responses: { '200': ok(refs.kind), '202': ok(refs.kind, 'Accepted') } }),
    },
  };
  if (rt.namespaced) {
    paths[`${prefix}/${rt.plural}`] = {
      get: op('list', `${rt.kind}ForAllNamespaces`, { action: 'list', description: `list or watch objects of kind ${rt.kind} in all namespaces`, parameters: LIST_PARAMS, responses: { '200': ok(refs.list, 'OK', LIST_MEDIA) } }),
    };
  }
  Object.assign(paths, subresourcePaths(rt, refs, object, objectParams, op, patchBody));
  return paths;
}

type OpBuilder = (verb: string, suffix: string, rest: Omit<OperationSpec, 'id' | 'gvk' | 'tag'> & { gvk?: GroupVersionKind }) => Json;

/** status, scale, binding, log and finalize, for the kinds that have them (as discovery.ts lists them). */
function subresourcePaths(rt: ResourceType, refs: OperationRefs, object: string, parameters: Json[], op: OpBuilder, patchBody: Json): Record<string, Json> {
  const scoped = `${rt.namespaced ? 'Namespaced' : ''}${rt.kind}`;
  const paths: Record<string, Json> = {};
  const readWrite = (sub: string, ref: OpenApiSchema, subGvk?: GroupVersionKind) => {
    const what = `${sub.toLowerCase()} of the specified ${rt.kind}`;
    const extra = subGvk ? { gvk: subGvk } : {};
    const written = { '200': ok(ref), '201': ok(ref, 'Created') };
    paths[`${object}/${sub.toLowerCase()}`] = {
      parameters,
      get: op('read', `${scoped}${sub}`, { ...extra, action: 'get', description: `read ${what}`, responses: { '200': ok(ref) } }),
      put: op('replace', `${scoped}${sub}`, { ...extra, action: 'put', description: `replace ${what}`, parameters: WRITE_PARAMS, body: { required: true, content: content(ref, OBJECT_MEDIA) }, responses: written }),
      patch: op('patch', `${scoped}${sub}`, { ...extra, action: 'patch', description: `partially update ${what}`, parameters: [...WRITE_PARAMS, query('force', 'Take ownership of conflicting fields in an apply.', BOOL)], body: patchBody, responses: written }),
    };
  };
  if (rt.subresources.status) readWrite('Status', refs.kind);
  if (rt.subresources.scale) readWrite('Scale', refs.scale, gvk('autoscaling', 'v1', 'Scale'));
  if (rt.kind === 'Pod') {
    paths[`${object}/binding`] = {
      parameters,
      post: op('create', `${scoped}Binding`, { gvk: gvk('', 'v1', 'Binding'), action: 'post', description: `create binding of a ${rt.kind}`, parameters: WRITE_PARAMS, body: { required: true, content: content(refs.binding, OBJECT_MEDIA) }, responses: { '201': ok(refs.binding, 'Created') } }),
    };
    paths[`${object}/log`] = {
      parameters,
      get: op('read', `${scoped}Log`, { action: 'get', description: `read log of the specified ${rt.kind}`, parameters: LOG_PARAMS, responses: { '200': ok({ type: 'string' }, 'OK', ['text/plain']) } }),
    };
  }
  if (rt.kind === 'Namespace') {
    paths[`${object}/finalize`] = {
      parameters,
      put: op('replace', `${scoped}Finalize`, { action: 'put', description: `replace finalize of the specified ${rt.kind}`, parameters: WRITE_PARAMS, body: { required: true, content: content(refs.kind, OBJECT_MEDIA) }, responses: { '200': ok(refs.kind) } }),
    };
  }
  return paths;
}
