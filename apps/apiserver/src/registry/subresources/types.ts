// A subresource's own storage, as Kubernetes registers `BindingREST`, `ScaleREST` or `StatusREST`
// beside a kind's main storage: it is found by path (`pods/binding`, `*/scale`), declares what
// discovery shows of it, and implements only the verbs it serves. The request handler finds it
// and calls it; it never asks which kind a subresource belongs to.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject, ResourceType } from '@kite/api-types';
import type { ObjectLookup } from '../../auth/authenticators/lookup.js';
import type { ReviewDeps } from '../reviews/types.js';
import type { RestStorage, WriteOptions } from '../rest.js';
import type { RequestScope } from '../scope.js';

/** What subresource storages (and the handler) need from the server. */
export interface SubresourceDeps {
  rest: RestStorage;
  /** Streams `pods/NAME/log` from the kubelet; set once the kubelet connection exists. */
  podLogs?: (req: FastifyRequest, reply: FastifyReply, scope: RequestScope, name: string) => Promise<void>;
  reviews: ReviewDeps;
  lookup: ObjectLookup;
}

export interface SubresourceCall {
  /** The scope, with `subresource` set. */
  scope: RequestScope;
  name: string;
  deps: SubresourceDeps;
  write: WriteOptions;
  /** The request body, decoded (JSON, YAML or protobuf) as an object. */
  object(): unknown;
  /** The PATCH body and its content type. */
  patch(): { type: string; patch: unknown };
  /** For connecters (logs) that stream the answer themselves. */
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * What a verb returns: an object to encode (a Kube object may be asked for as a Table), or
 * `undefined` when the storage has answered by itself (a stream).
 */
export type SubresourceResult = { code: number; object: KubeObject | object } | undefined;

type Verb = (call: SubresourceCall) => Promise<SubresourceResult>;

export interface SubresourceStorage {
  /** The subresource's name in the path: `binding`, `scale`. */
  name: string;
  /** Whether a kind has this subresource (scale: only kinds that declare it). */
  servedFor(rt: ResourceType): boolean;
  /** What discovery shows: the kind of object exchanged, and its group/version when not the parent's. */
  discovery(rt: ResourceType): { kind: string; group?: string; version?: string };
  get?: Verb;
  create?: Verb;
  update?: Verb;
  patch?: Verb;
}

/** Discovery verbs of a storage, from the methods it implements. */
export function verbsOf(s: SubresourceStorage): string[] {
  const verbs: string[] = [];
  if (s.get) verbs.push('get');
  if (s.patch) verbs.push('patch');
  if (s.update) verbs.push('update');
  if (s.create) verbs.push('create');
  return verbs;
}
