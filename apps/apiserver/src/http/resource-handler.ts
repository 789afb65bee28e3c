// Dispatches a request on a resource path to the REST operation it names (a subresource to its
// own storage, found by path), and encodes the answer in the form the client accepts (JSON,
// Table or PartialObjectMetadata).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject, KubeList } from '@kite/api-types';
import { ApiError, badRequest, failureStatus, queryBool } from '@kite/apimachinery';
import type { DeleteOptions, WriteOptions } from '../registry/rest.js';
import { subresourceFor, type SubresourceDeps, type SubresourceResult } from '../registry/subresources/index.js';
import type { RequestScope } from '../registry/scope.js';
import { buildPredicate } from '../registry/selection.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { decodeObjectBody, decodeOptionalBody, decodePatchBody } from './content.js';
import { responseForm } from './negotiation.js';
import type { ResourcePath } from './paths.js';
import { partialObjectMetadata, toTable, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { contextOf } from '../filters/context.js';
import { REVIEW_HANDLERS } from '../registry/reviews/registry.js';
import { serveComputed, type ComputedStorage } from '../registry/computed.js';

type Query = Record<string, string | undefined>;

export interface HandlerDeps extends SubresourceDeps {
  cache: WatchCache;
  /** Answers the read-only computed kinds (metrics.k8s.io); without it they are 404. */
  computed?: ComputedStorage;
}

/** A POST to a create-only review kind (never stored): the answer is the object with its status. */
async function createReview(req: FastifyRequest, reply: FastifyReply, path: ResourcePath, deps: HandlerDeps): Promise<void> {
  const handler = REVIEW_HANDLERS.get(path.rt.kind);
  if (!handler || path.name) throw methodNotAllowed(req.method);
  const body = decodeObjectBody(req.headers['content-type'], req.body) as Record<string, unknown> & KubeObject;
  if (typeof body !== 'object' || body === null || body.kind !== path.rt.kind) throw badRequest(`the body must be a ${path.rt.kind}`);
  const answer = await handler({ user: contextOf(req).user, namespace: path.namespace ?? '', body }, deps.reviews);
  void reply.code(201).type('application/json').send(JSON.stringify(answer));
}

function methodNotAllowed(method: string): ApiError {
  return new ApiError(failureStatus(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`));
}

function intParam(q: Query, key: string): number | undefined {
  const v = q[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function sendObject(req: FastifyRequest, reply: FastifyReply, code: number, obj: KubeObject): void {
  const form = responseForm(req.headers.accept);
  const q = req.query as Query;
  let body: unknown = obj;
  if (form === 'table' && obj.kind !== 'Status') body = toTable(obj.kind, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, (q.includeObject as IncludeObject) ?? 'Metadata');
  else if (form === 'metadata' && obj.kind !== 'Status') body = partialObjectMetadata(obj);
  void reply.code(code).type('application/json').send(JSON.stringify(body));
}

function sendList(req: FastifyRequest, reply: FastifyReply, kind: string, list: KubeList<KubeObject>): void {
  const form = responseForm(req.headers.accept);
  const q = req.query as Query;
  let body: unknown = list;
  if (form === 'table') body = toTable(kind, list.items, list.metadata, (q.includeObject as IncludeObject) ?? 'Metadata');
  else if (form === 'metadata') body = { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList', metadata: list.metadata, items: list.items.map(partialObjectMetadata) };
  void reply.code(200).type('application/json').send(JSON.stringify(body));
}

function deleteOptions(req: FastifyRequest): DeleteOptions {
  const q = req.query as Query;
  const body = (decodeOptionalBody(req.headers['content-type'], req.body) ?? {}) as DeleteOptions & { dryRun?: unknown };
  const opts: DeleteOptions = {};
  const grace = intParam(q, 'gracePeriodSeconds') ?? body.gracePeriodSeconds;
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = q.propagationPolicy ?? body.propagationPolicy;
  if (policy !== undefined) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') throw badRequest(`propagationPolicy must be Orphan, Background or Foreground, got ${policy}`);
    opts.propagationPolicy = policy;
  } else if (queryBool(q.orphanDependents)) opts.propagationPolicy = 'Orphan';
  if (body.preconditions) opts.preconditions = body.preconditions;
  if (q.dryRun === 'All' || (Array.isArray(body.dryRun) && body.dryRun.includes('All'))) opts.dryRun = true;
  return opts;
}

/** A read-only computed kind (metrics.k8s.io): get and list answered from live data, no subresources. */
function readComputed(req: FastifyRequest, reply: FastifyReply, path: ResourcePath, deps: HandlerDeps): void {
  if (!deps.computed || path.subresource) throw new ApiError(failureStatus(404, 'NotFound', 'the server could not find the requested resource'));
  const q = req.query as Query;
  const answer = serveComputed(
    {
      method: req.method,
      rt: path.rt,
      ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
      ...(path.name !== undefined ? { name: path.name } : {}),
      watch: path.watch || queryBool(q.watch),
      ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}),
      ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}),
    },
    deps.computed,
  );
  if ('list' in answer) sendList(req, reply, path.rt.kind, answer.list);
  else sendObject(req, reply, 200, answer.object);
}

const VERB_OF_METHOD = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch' } as const;

/** Finds the subresource's storage by path and calls the verb the method names. */
function callSubresource(req: FastifyRequest, reply: FastifyReply, path: ResourcePath, scope: RequestScope, deps: HandlerDeps, write: WriteOptions): Promise<SubresourceResult> {
  const storage = subresourceFor(path.rt, path.subresource ?? '');
  if (!storage || !path.name) throw new ApiError(failureStatus(404, 'NotFound', 'the server could not find the requested resource'));
  const verb = VERB_OF_METHOD[req.method as keyof typeof VERB_OF_METHOD];
  const call = verb ? storage[verb] : undefined;
  if (!call) throw methodNotAllowed(req.method);
  return call({
    scope,
    name: path.name,
    deps,
    write,
    object: () => decodeObjectBody(req.headers['content-type'], req.body),
    patch: () => decodePatchBody(req.headers['content-type'], req.body),
    req,
    reply,
  });
}

export async function handleResource(req: FastifyRequest, reply: FastifyReply, path: ResourcePath, deps: HandlerDeps): Promise<void> {
  const scope: RequestScope = { rt: path.rt, ...(path.namespace !== undefined ? { namespace: path.namespace } : {}), ...(path.subresource ? { subresource: path.subresource } : {}) };
  const { rest } = deps;
  const q = req.query as Query;
  const warnings: string[] = [];
  const fv = q.fieldValidation;
  if (fv !== undefined && fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw badRequest(`fieldValidation must be Strict, Warn or Ignore, got ${JSON.stringify(fv)}`);
  const user = contextOf(req).user;
  const auditAnnotations: Record<string, string> = {};
  const write: WriteOptions = { dryRun: q.dryRun === 'All', warnings, auditAnnotations, user, ...(fv ? { fieldValidation: fv } : {}) };
  // Warnings travel as HTTP Warning headers, which kubectl prints.
  const withWarnings = () => {
    if (warnings.length > 0) void reply.header('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
  };
  const name = path.name;
  const sub = path.subresource;
  if ((path.rt as { virtual?: boolean }).virtual) {
    if (req.method !== 'POST') throw methodNotAllowed(req.method);
    return createReview(req, reply, path, deps);
  }
  if (path.rt.readOnly) return readComputed(req, reply, path, deps);
  if (sub) {
    const result = await callSubresource(req, reply, path, scope, deps, write);
    withWarnings();
    if (!result) return;
    // The parent's own kind (status, finalize) may be asked for as a Table; Scale, Status and TokenRequest are sent as they are.
    if ((result.object as KubeObject).kind === path.rt.kind) return sendObject(req, reply, result.code, result.object as KubeObject);
    return void reply.code(result.code).type('application/json').send(JSON.stringify(result.object));
  }

  switch (req.method) {
    case 'GET': {
      if (!name) {
        const predicate = buildPredicate(path.rt, q.labelSelector, q.fieldSelector);
        if (path.watch || queryBool(q.watch)) {
          return serveWatch(req, reply, deps.cache, rest, {
            scope,
            ...(predicate ? { predicate } : {}),
            ...(q.resourceVersion !== undefined ? { resourceVersion: q.resourceVersion } : {}),
            ...(q.timeoutSeconds !== undefined ? { timeoutSeconds: intParam(q, 'timeoutSeconds') ?? 0 } : {}),
            bookmarks: queryBool(q.allowWatchBookmarks),
            form: responseForm(req.headers.accept),
          });
        }
        const list = await rest.list(scope, { ...(predicate ? { predicate } : {}), limit: intParam(q, 'limit') ?? 0, ...(q.continue ? { continueToken: q.continue } : {}) });
        return sendList(req, reply, path.rt.kind, list);
      }
      return sendObject(req, reply, 200, await rest.get(scope, name));
    }
    case 'POST': {
      if (!name) {
        const created = await rest.create(scope, decodeObjectBody(req.headers['content-type'], req.body), write);
        withWarnings();
        return sendObject(req, reply, 201, created);
      }
      throw methodNotAllowed('POST');
    }
    case 'PUT': {
      if (!name) throw methodNotAllowed('PUT');
      const body = decodeObjectBody(req.headers['content-type'], req.body);
      const updated = await rest.update(scope, name, body, write);
      withWarnings();
      return sendObject(req, reply, 200, updated);
    }
    case 'PATCH': {
      if (!name) throw methodNotAllowed('PATCH');
      const { type, patch } = decodePatchBody(req.headers['content-type'], req.body);
      const existed = type.startsWith('application/apply-patch') ? await rest.get(scope, name).then(() => true, () => false) : true;
      const patched = await rest.patch(scope, name, type, patch, write);
      withWarnings();
      return sendObject(req, reply, existed ? 200 : 201, patched);
    }
    case 'DELETE': {
      const opts = { ...deleteOptions(req), user };
      if (!name) {
        const predicate = buildPredicate(path.rt, q.labelSelector, q.fieldSelector);
        return sendList(req, reply, path.rt.kind, await rest.deleteCollection(scope, predicate, opts));
      }
      const result = await rest.delete(scope, name, opts);
      const pending = 'metadata' in result && (result as KubeObject).metadata.deletionTimestamp !== undefined && result.kind !== 'Status';
      return sendObject(req, reply, pending ? 202 : 200, result as KubeObject);
    }
    default:
      throw methodNotAllowed(req.method);
  }
}
