// OpenAPI routes: `/openapi/v3` (the index of group-version documents) and
// `/openapi/v3/api/v1`, `/openapi/v3/apis/GROUP/VERSION` (the documents, built by openapi.ts).
//
// Each document is built and serialised once, on first request, and served from memory after that:
// the registry cannot change while the server runs. The index links each document with a `hash`
// of its content, so clients (kubectl's disk cache) may keep a hashed URL forever: such a request
// gets `Cache-Control: public, immutable`, a stale hash a redirect to the current one, as in
// Kubernetes. Only JSON is served; a client that accepts nothing else (protobuf) gets 406.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceType } from '@kite/api-types';
import { notAcceptable } from '@kite/apimachinery';
import { documentedResources, groupVersionDocument, groupVersionKey, groupVersionsOf, type GroupVersion } from './openapi.js';
import { pathNotFound } from './paths.js';

export const OPENAPI_V3_PREFIX = '/openapi/v3';
/** How long a hashed document may be cached: a year, like Kubernetes. */
const IMMUTABLE_SECONDS = 365 * 24 * 3600;
const JSON_MEDIA = 'application/json';

interface Published {
  body: string;
  hash: string;
}

/** Serialised documents and their hashes, built on first use. */
export class OpenApiDocuments {
  private readonly groupVersions: Map<string, GroupVersion>;
  private readonly built = new Map<string, Published>();
  private indexBody: string | undefined;

  constructor(private readonly resources: readonly ResourceType[] = documentedResources) {
    this.groupVersions = new Map(groupVersionsOf(resources).map((gv) => [groupVersionKey(gv), gv]));
  }

  /** The document at `key` (`api/v1`, `apis/apps/v1`), or undefined if no such group-version. */
  document(key: string): Published | undefined {
    const cached = this.built.get(key);
    if (cached) return cached;
    const gv = this.groupVersions.get(key);
    if (!gv) return undefined;
    const body = JSON.stringify(groupVersionDocument(gv, this.resources));
    const published = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
    this.built.set(key, published);
    return published;
  }

  /** `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}`. */
  index(): string {
    if (this.indexBody === undefined) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const key of this.groupVersions.keys()) paths[key] = { serverRelativeURL: this.urlOf(key) };
      this.indexBody = JSON.stringify({ paths });
    }
    return this.indexBody;
  }

  urlOf(key: string): string {
    return `${OPENAPI_V3_PREFIX}/${key}?hash=${this.document(key)?.hash ?? ''}`;
  }
}

/** Whether an Accept header allows a JSON answer (no header allows anything). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]?.trim().toLowerCase();
    return type === JSON_MEDIA || type === 'application/*' || type === '*/*';
  });
}

function sendJson(req: FastifyRequest, reply: FastifyReply, body: string, etag: string, cacheControl: string): FastifyReply {
  if (!acceptsJson(req.headers.accept)) throw notAcceptable([JSON_MEDIA]);
  void reply.header('ETag', `"${etag}"`).header('Cache-Control', cacheControl).header('Vary', 'Accept');
  if (req.headers['if-none-match'] === `"${etag}"`) return reply.code(304).send();
  return reply.code(200).type(JSON_MEDIA).send(body);
}

export function registerOpenApi(app: FastifyInstance, resources: readonly ResourceType[] = documentedResources): void {
  const docs = new OpenApiDocuments(resources);
  app.get(OPENAPI_V3_PREFIX, (req, reply) => {
    const body = docs.index();
    return sendJson(req, reply, body, createHash('sha256').update(body).digest('hex'), 'no-cache, private');
  });
  app.get(`${OPENAPI_V3_PREFIX}/*`, (req, reply) => {
    const key = (req.params as { '*': string })['*'].replace(/\/+$/, '');
    const doc = docs.document(key);
    if (!doc) throw pathNotFound();
    const hash = (req.query as { hash?: string }).hash;
    if (hash === undefined) return sendJson(req, reply, doc.body, doc.hash, 'no-cache, private');
    if (hash !== doc.hash) return reply.code(301).header('Location', docs.urlOf(key)).send();
    void reply.header('Expires', new Date(Date.now() + IMMUTABLE_SECONDS * 1000).toUTCString());
    return sendJson(req, reply, doc.body, doc.hash, `public, immutable, max-age=${IMMUTABLE_SECONDS}`);
  });
}
