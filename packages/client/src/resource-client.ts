// ResourceClient<T>: typed REST verbs for one kind, with paths from its registry entry.
//
// Contract:
// - Namespaced kinds need a namespace: from `opts.namespace`, else the object's
//   `metadata.namespace`; a missing one throws before any request. Cluster-scoped kinds ignore it.
// - `list` lists one page; `listAll` follows `continue` tokens and returns every item with the
//   resourceVersion of the first page (the revision the whole list is consistent at).
// - `update` sends the object's resourceVersion, so a stale copy gets 409 Conflict.
// - `delete` returns the object when it still exists (finalizers, graceful deletion) and the
//   server's `Status` when it is gone.
// - Status and scale methods throw at once when the kind has no such subresource.
// - `watch` returns a lazy async iterable (see watch/watch.ts); bookmarks are asked for by default.
// - Every non-2xx answer throws `ApiError` with the server's Status.
import type { DeleteOptions, DeletionPropagation, KubeList, KubeObject, Preconditions, Scale, Status } from '@kite/api-types';
import { resourcePath, type ResourceInfo } from './http/paths.js';
import { isStatus, type Transport } from './http/transport.js';
import { watchStream, type WatchEvent } from './watch/watch.js';

export interface NamespaceOption {
  namespace?: string;
  signal?: AbortSignal;
}

export interface SelectorOptions {
  namespace?: string;
  /** e.g. `app=web,tier in (fe,be),!canary`. */
  labelSelector?: string;
  /** e.g. `spec.nodeName=node-1,status.phase!=Failed`. */
  fieldSelector?: string;
}

export interface ListOptions extends SelectorOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  signal?: AbortSignal;
}

export interface WatchOptions extends SelectorOptions {
  /** Start after this revision; omitted means "from now", after synthetic ADDED events for current objects. */
  resourceVersion?: string;
  /** Default true. */
  allowWatchBookmarks?: boolean;
  /** Asks the server to end the watch after this long. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WriteOptions extends NamespaceOption {
  /** Validate and default without persisting (`dryRun=All`). */
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** Content types of the four patch flavours. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource instead of the object, e.g. `status`. */
  subresource?: 'status';
}

export interface DeleteRequestOptions extends NamespaceOption {
  gracePeriodSeconds?: number;
  propagationPolicy?: DeletionPropagation;
  preconditions?: Preconditions;
  dryRun?: boolean;
}

export class ResourceClient<T extends KubeObject> {
  readonly resource: ResourceInfo;
  private readonly transport: Transport;

  constructor(opts: { transport: Transport; resource: ResourceInfo }) {
    this.transport = opts.transport;
    this.resource = opts.resource;
  }

  async get(name: string, opts: NamespaceOption = {}): Promise<T> {
    return (await this.transport.json({ method: 'GET', path: this.path(opts.namespace, name), signal: opts.signal })) as T;
  }

  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const query = {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
      resourceVersion: opts.resourceVersion,
    };
    const path = resourcePath(this.resource, { namespace: opts.namespace });
    const list = (await this.transport.json({ method: 'GET', path, query, signal: opts.signal })) as KubeList<T>;
    list.items ??= [];
    list.metadata ??= {};
    return list;
  }

  /** Every page of a list; the result carries the first page's resourceVersion and no continue token. */
  async listAll(opts: Omit<ListOptions, 'continue'> = {}): Promise<KubeList<T>> {
    const first = await this.list(opts);
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      const page = await this.list({ ...opts, resourceVersion: undefined, continue: token });
      items.push(...page.items);
      token = page.metadata.continue;
    }
    const metadata = { ...first.metadata };
    delete metadata.continue;
    delete metadata.remainingItemCount;
    return { ...first, metadata, items };
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const path = resourcePath(this.resource, { namespace: this.namespaceOf(obj, opts.namespace) });
    return (await this.transport.json({ method: 'POST', path, body: obj, query: writeQuery(opts), signal: opts.signal })) as T;
  }

  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    this.require('status');
    return this.put(obj, 'status', opts);
  }

  async patch(name: string, body: unknown, opts: PatchOptions): Promise<T> {
    if (opts.subresource === 'status') this.require('status');
    return (await this.sendPatch(name, opts.subresource, body, opts)) as T;
  }

  async delete(name: string, opts: DeleteRequestOptions = {}): Promise<T | Status> {
    const body: DeleteOptions = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.propagationPolicy !== undefined) body.propagationPolicy = opts.propagationPolicy;
    if (opts.preconditions !== undefined) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ['All'];
    const res = await this.transport.json({ method: 'DELETE', path: this.path(opts.namespace, name), body, signal: opts.signal });
    return isStatus(res) ? res : (res as T);
  }

  async getScale(name: string, opts: NamespaceOption = {}): Promise<Scale> {
    this.require('scale');
    return (await this.transport.json({ method: 'GET', path: this.path(opts.namespace, name, 'scale'), signal: opts.signal })) as Scale;
  }

  async updateScale(name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    this.require('scale');
    const path = this.path(opts.namespace ?? scale.metadata.namespace, name, 'scale');
    return (await this.transport.json({ method: 'PUT', path, body: scale, query: writeQuery(opts), signal: opts.signal })) as Scale;
  }

  async patchScale(name: string, body: unknown, opts: Omit<PatchOptions, 'subresource'>): Promise<Scale> {
    this.require('scale');
    return (await this.sendPatch(name, 'scale', body, opts)) as Scale;
  }

  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const query = {
      watch: true,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks ?? true,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      timeoutSeconds: opts.timeoutSeconds,
    };
    const path = resourcePath(this.resource, { namespace: opts.namespace });
    return watchStream<T>(this.transport, { method: 'GET', path, query, signal: opts.signal });
  }

  private async put(obj: T, subresource: string | undefined, opts: WriteOptions): Promise<T> {
    const path = this.path(this.namespaceOf(obj, opts.namespace), obj.metadata.name ?? '', subresource);
    return (await this.transport.json({ method: 'PUT', path, body: obj, query: writeQuery(opts), signal: opts.signal })) as T;
  }

  private sendPatch(name: string, subresource: string | undefined, body: unknown, opts: Omit<PatchOptions, 'subresource'>): Promise<unknown> {
    if (opts.type === 'apply' && !opts.fieldManager) throw new Error('server-side apply needs a fieldManager');
    const query = { ...writeQuery(opts), force: opts.type === 'apply' ? opts.force : undefined };
    const path = this.path(opts.namespace, name, subresource);
    return this.transport.json({ method: 'PATCH', path, body, contentType: PATCH_CONTENT_TYPES[opts.type], query, signal: opts.signal });
  }

  /** The object path; throws for a namespaced kind without a namespace. */
  private path(namespace: string | undefined, name: string, subresource?: string): string {
    if (this.resource.namespaced && !namespace) throw new Error(`${this.resource.plural} ${JSON.stringify(name)}: a namespace is required`);
    return resourcePath(this.resource, { namespace, name, subresource });
  }

  private namespaceOf(obj: T, explicit: string | undefined): string | undefined {
    const namespace = explicit ?? obj.metadata.namespace;
    if (this.resource.namespaced && !namespace) throw new Error(`${this.resource.plural}: a namespace is required`);
    return namespace;
  }

  private require(sub: 'status' | 'scale'): void {
    if (!this.resource.subresources?.[sub]) throw new Error(`${this.resource.plural} has no ${sub} subresource`);
  }
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}
