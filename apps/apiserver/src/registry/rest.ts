// The generic REST operations every kind shares: create, get, list, update, patch, delete. Each
// reads current state from the store, applies the kind's strategy, validates, and writes with an
// optimistic precondition, retrying internally only where the client did not pin a version.
// A request at a converted version (autoscaling/v1 HPAs) works on the stored version's objects,
// converted in and out at the public operations (versions.ts); `guaranteedUpdate` and `applyUpdate`
// take storage-version scopes.
import { validateResource, type KubeObject, type KubeList, type ResourceType, type Service, type Status } from '@kite/api-types';
import type { ServiceAllocator } from './service-allocator.js';
import {
  alreadyExists,
  expired,
  pruneUnknownFields,
  unknownFields,
  applyPatchByContentType,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  successStatus,
} from '@kite/apimachinery';
import { isDeepStrictEqual } from 'node:util';
import { isStorageError } from '../storage/errors.js';
import type { Store } from '../storage/store.js';
import { resourceKey } from '../storage/keys.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { generateName, newUid, now } from './meta.js';
import { groupResource, memberOf, refFor, type RequestScope } from './scope.js';
import type { Predicate } from './selection.js';
import type { AdmissionHook } from '../admission/hook.js';
import type { AdmissionAttributes, Operation } from '../admission/interface.js';
import type { UserInfo } from '../auth/types.js';
import { deletionBlocked, gracePeriodFor, prepareForCreate, prepareForStatusUpdate, prepareForUpdate, readyToDelete, strategyFor } from './strategy.js';
import { listToServed, storageScope, toServed, toStorage } from './versions.js';

type AnyObject = KubeObject & { spec?: unknown; status?: unknown } & Record<string, unknown>;

/** Attempts for writes that retry on a concurrent change (patches, unconditional updates). */
const MAX_WRITE_ATTEMPTS = 8;
/** Attempts at a fresh generated name before giving up with AlreadyExists. */
const MAX_GENERATE_ATTEMPTS = 8;
/** Page size when a selector filters a limited list, so a sparse match does not loop forever. */
const SCAN_PAGE = 500;

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  user?: UserInfo;
}

/** How unknown fields in a request body are handled (Kubernetes' `fieldValidation`). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Collects warnings for the response's Warning headers. */
  warnings?: string[];
  /** The requesting user: set for API requests, which then pass admission. */
  user?: UserInfo;
  /** Collects admission's audit annotations. */
  auditAnnotations?: Record<string, string>;
}

export interface ListOptions {
  predicate?: Predicate;
  limit?: number;
  continueToken?: string;
}

export class RestStorage {
  /** Admission plugins; wired once by the server after construction (they read through this storage). */
  admission: AdmissionHook | undefined;

  constructor(
    private readonly store: Store,
    /** Claims and frees Service cluster IPs and node ports. */
    private readonly services?: ServiceAllocator,
    /** The oldest revision still in history: continue tokens from before it are expired. */
    private readonly oldestRevision: () => number = () => 0,
  ) {}

  private admissionAttributes(op: Operation, scope: RequestScope, name: string, opts: WriteOptions & { user?: UserInfo }): AdmissionAttributes | undefined {
    if (!this.admission || !opts.user) return undefined;
    return {
      operation: op,
      rt: scope.rt,
      subresource: scope.subresource ?? '',
      namespace: scope.rt.namespaced ? (scope.namespace ?? '') : '',
      name,
      user: opts.user,
      dryRun: opts.dryRun ?? false,
      warnings: opts.warnings ?? [],
      auditAnnotations: opts.auditAnnotations ?? {},
    };
  }

  /** Frees what a removed object held (a Service's addresses). */
  private async released(obj: AnyObject): Promise<AnyObject> {
    if (obj.kind === 'Service') await this.services?.release(obj as unknown as Service);
    return obj;
  }

  async get<T extends KubeObject>(scope: RequestScope, name: string): Promise<T> {
    const obj = await this.store.get<T>(refFor(scope, name));
    if (!obj) throw notFound(groupResource(scope.rt), name);
    return toServed(scope.rt, obj);
  }

  async list(scope: RequestScope, opts: ListOptions): Promise<KubeList<KubeObject>> {
    return listToServed(scope.rt, await this.listStored(storageScope(scope), opts));
  }

  private async listStored(scope: RequestScope, opts: ListOptions): Promise<KubeList<KubeObject>> {
    const { rt } = scope;
    const resource = resourceKey(rt.group, rt.plural);
    const ns = rt.namespaced ? scope.namespace : undefined;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const start = opts.continueToken ? decodeContinue(opts.continueToken) : undefined;
    if (start && start.revision < this.oldestRevision()) {
      throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.');
    }
    const pageSize = limit === 0 ? 0 : opts.predicate ? Math.max(SCAN_PAGE, limit) : limit;
    const items: KubeObject[] = [];
    let after = start?.after;
    let revision = start?.revision;
    let more = false;
    scan: while (true) {
      const page = await this.store.list(resource, ns, pageSize, after);
      revision ??= page.revision;
      for (let i = 0; i < page.items.length; i++) {
        const obj = page.items[i] as KubeObject;
        after = memberOf(scope, obj);
        if (opts.predicate && !opts.predicate(obj)) continue;
        items.push(obj);
        if (limit && items.length === limit) {
          more = i < page.items.length - 1 || page.next !== undefined;
          break scan;
        }
      }
      if (!page.next) break;
      after = page.next;
    }
    const metadata: KubeList<KubeObject>['metadata'] = { resourceVersion: String(revision) };
    if (more && after !== undefined) metadata.continue = encodeContinue({ revision: revision ?? 0, after });
    return { apiVersion: rt.apiVersion, kind: rt.listKind, metadata, items };
  }

  private async checkNamespace(scope: RequestScope, ns: string): Promise<void> {
    if (!scope.rt.namespaced) return;
    const nsObj = await this.store.get<AnyObject>({ resource: 'namespaces', namespace: '', name: ns });
    if (!nsObj) throw notFound({ group: '', plural: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw forbidden(groupResource(scope.rt), '', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  private validate(rt: ResourceType, obj: AnyObject, old?: AnyObject): void {
    const causes = validateResource(rt, obj, old);
    if (causes.length > 0) throw invalid({ group: rt.group, kind: rt.kind }, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
  }

  /** Checks apiVersion, kind and namespace of a body against the request path. */
  /**
   * Drops fields the kind's schema does not define; Strict refuses them with 400, as Kubernetes'
   * strict decoding does, Warn (the default) reports each as a warning.
   */
  private handleUnknownFields(rt: ResourceType, obj: AnyObject, opts: WriteOptions): void {
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Strict') {
      const unknown = unknownFields(rt.schema, obj);
      if (unknown.length > 0) {
        throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
      }
    }
    const dropped = pruneUnknownFields(rt.schema, obj);
    if (mode === 'Warn') for (const f of dropped) opts.warnings?.push(`unknown field "${f}"`);
  }

  checkBody(scope: RequestScope, body: unknown, opts: WriteOptions = {}): AnyObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
    const obj = body as AnyObject;
    const { rt } = scope;
    // As Kubernetes' decoder does, the endpoint's group, version and kind fill in what the body
    // leaves out (the official clients send neither when the caller did not set them).
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = rt.apiVersion;
    if (obj.kind === undefined || obj.kind === '') obj.kind = rt.kind;
    if (obj.apiVersion !== rt.apiVersion || obj.kind !== rt.kind) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) and kind (${String(obj.kind)}) do not match the expected ${rt.apiVersion}, Kind=${rt.kind}`);
    }
    if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
    if (rt.namespaced && scope.namespace) {
      if (obj.metadata.namespace && obj.metadata.namespace !== scope.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = scope.namespace;
    }
    this.handleUnknownFields(rt, obj, opts);
    return obj;
  }

  async create(scope: RequestScope, body: unknown, opts: WriteOptions = {}): Promise<AnyObject> {
    const obj = toStorage(scope.rt, this.checkBody(scope, body, opts)) as AnyObject;
    return toServed(scope.rt, await this.createStored(storageScope(scope), obj, opts));
  }

  /** Creates a checked object of the storage version. */
  private async createStored(scope: RequestScope, obj: AnyObject, opts: WriteOptions): Promise<AnyObject> {
    const { rt } = scope;
    const dryRun = opts.dryRun ?? false;
    if (rt.namespaced && !scope.namespace) throw badRequest('the namespace of the object must be set on the request path');
    delete obj.metadata.resourceVersion;
    // uid first: some defaults derive from it (a Job's generated selector).
    obj.metadata.uid = newUid();
    obj.metadata.creationTimestamp = now();
    rt.defaults(obj);
    prepareForCreate(rt, obj);
    const attrs = this.admissionAttributes('CREATE', scope, obj.metadata.name ?? '', opts);
    if (attrs) await this.admission?.admit(attrs, obj, undefined);
    this.validate(rt, obj);
    if (attrs) await this.admission?.validate(attrs, obj, undefined);
    await this.checkNamespace(scope, scope.namespace ?? '');
    const generated = !obj.metadata.name && obj.metadata.generateName;
    for (let attempt = 0; ; attempt++) {
      if (generated) obj.metadata.name = generateName(obj.metadata.generateName ?? '');
      const name = obj.metadata.name ?? '';
      if (dryRun) return obj;
      const isService = rt.kind === 'Service' && this.services;
      if (isService) await this.services?.allocate(obj as unknown as Service);
      try {
        return await this.store.create(refFor(scope, name), obj);
      } catch (err) {
        if (isService) await this.services?.release(obj as unknown as Service);
        if (!isStorageError(err, 'KeyExists')) throw err;
        if (!generated || attempt >= MAX_GENERATE_ATTEMPTS) throw alreadyExists(groupResource(rt), name);
      }
    }
  }

  /**
   * Read-modify-write with an optimistic precondition. `mutate` gets the stored object and returns
   * the new one (or throws). When `pinnedRv` is set a concurrent change is a 409 for the client;
   * otherwise the whole step retries against the new state.
   */
  async guaranteedUpdate(
    scope: RequestScope,
    name: string,
    mutate: (current: AnyObject) => AnyObject | Promise<AnyObject>,
    opts: { pinnedRv?: string; dryRun?: boolean; /** Retries on a concurrent change (default MAX_WRITE_ATTEMPTS). */ maxAttempts?: number } = {},
  ): Promise<AnyObject> {
    const ref = refFor(scope, name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<AnyObject>(scope, name);
      const rv = current.metadata.resourceVersion ?? '';
      if (opts.pinnedRv && opts.pinnedRv !== rv) throw conflict(groupResource(scope.rt), name);
      const next = await mutate(structuredClone(current));
      if (opts.dryRun) return next;
      // A write that changes nothing is answered with the stored object: no new revision, no event;
      // unless the stored value is sealed under an older key, which the rewrite replaces (rotation).
      if (isDeepStrictEqual(next, current) && !this.store.codec.isStale(current)) return current;
      try {
        if (readyToDelete(scope.rt, next)) return await this.released(await this.store.delete(ref, next, rv));
        const stored = await this.store.update(ref, next, rv);
        if (stored.kind === 'Service') await this.services?.releaseDropped(stored as unknown as Service, current as unknown as Service);
        return stored;
      } catch (err) {
        if (isStorageError(err, 'KeyNotFound')) throw notFound(groupResource(scope.rt), name);
        if (!isStorageError(err, 'Conflict')) throw err;
        if (opts.pinnedRv || attempt >= (opts.maxAttempts ?? MAX_WRITE_ATTEMPTS)) throw conflict(groupResource(scope.rt), name);
      }
    }
  }

  /** PUT of the object or its status. */
  async update(scope: RequestScope, name: string, body: unknown, opts: WriteOptions = {}): Promise<AnyObject> {
    const dryRun = opts.dryRun ?? false;
    const obj = this.checkBody(scope, body, opts);
    if (obj.metadata.name !== name) throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
    const pinnedRv = obj.metadata.resourceVersion || undefined;
    const desired = toStorage(scope.rt, obj) as AnyObject;
    const stored = storageScope(scope);
    const updated = await this.guaranteedUpdate(stored, name, (current) => this.applyUpdate(stored, structuredClone(desired), current, opts), { pinnedRv, dryRun });
    return toServed(scope.rt, updated);
  }

  /** Turns a desired object into the next stored one, by the kind's strategy, and validates it. */
  async applyUpdate(scope: RequestScope, desired: AnyObject, current: AnyObject, opts: WriteOptions = {}): Promise<AnyObject> {
    const { rt } = scope;
    let next: AnyObject;
    if (scope.subresource === 'status') {
      next = prepareForStatusUpdate(desired, current);
    } else {
      rt.defaults(desired);
      prepareForUpdate(rt, desired, current);
      next = desired;
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length > (current.metadata.finalizers ?? []).length) {
      const added = (next.metadata.finalizers ?? []).filter((f) => !(current.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) throw forbidden(groupResource(rt), current.metadata.name ?? '', `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`);
    }
    const attrs = this.admissionAttributes('UPDATE', scope, current.metadata.name ?? '', opts);
    if (attrs) await this.admission?.admit(attrs, next, current);
    if (next.kind === 'Service' && scope.subresource !== 'status') await this.services?.update(next as unknown as Service, current as unknown as Service);
    this.validate(rt, next, current);
    if (attrs) await this.admission?.validate(attrs, next, current);
    return next;
  }

  /** A patch applies to the object as the request's version shows it, as Kubernetes' patcher does. */
  async patch(scope: RequestScope, name: string, contentType: string, patch: unknown, opts: WriteOptions = {}): Promise<AnyObject> {
    const dryRun = opts.dryRun ?? false;
    const { rt } = scope;
    const stored = storageScope(scope);
    const isApply = contentType.startsWith('application/apply-patch');
    const exists = await this.store.get(refFor(scope, name));
    if (!exists && isApply) {
      const created = applyPatchByContentType(contentType, undefined, patch, rt.schema) as AnyObject;
      const obj = this.checkBody(scope, created, opts);
      if (obj.metadata.name !== name) throw badRequest('the name of the object does not match the name on the URL');
      return this.create(scope, obj, opts);
    }
    if (!exists) throw notFound(groupResource(rt), name);
    const pinned = pinnedVersionOf(patch);
    const patched = await this.guaranteedUpdate(
      stored,
      name,
      async (current) => {
        const applied = applyPatchByContentType(contentType, toServed(rt, current), patch, rt.schema) as AnyObject;
        const desired = this.checkBody(scope, applied, opts);
        if (desired.metadata.name !== name) throw badRequest('metadata.name: the name of an object cannot be changed by a patch');
        return this.applyUpdate(stored, toStorage(rt, desired) as AnyObject, current, opts);
      },
      { pinnedRv: pinned, dryRun },
    );
    return toServed(rt, patched);
  }

  async delete(scope: RequestScope, name: string, opts: DeleteOptions): Promise<AnyObject | Status> {
    return toServed(scope.rt, await this.deleteStored(storageScope(scope), name, opts));
  }

  private async deleteStored(scope: RequestScope, name: string, opts: DeleteOptions): Promise<AnyObject | Status> {
    const { rt } = scope;
    const ref = refFor(scope, name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<AnyObject>(scope, name);
      const rv = current.metadata.resourceVersion ?? '';
      checkPreconditions(scope, name, current, opts.preconditions);
      const attrs = attempt === 0 ? this.admissionAttributes('DELETE', scope, name, opts) : undefined;
      if (attrs) await this.admission?.validate(attrs, current, current);
      const next = markForDeletion(rt, structuredClone(current), opts);
      if (opts.dryRun) return next ?? current;
      try {
        if (next === undefined) return await this.released(await this.store.delete(ref, current, rv));
        if (readyToDelete(rt, next)) return await this.released(await this.store.delete(ref, next, rv));
        if (JSON.stringify(next) === JSON.stringify(current)) return current;
        return await this.store.update(ref, next, rv);
      } catch (err) {
        if (isStorageError(err, 'KeyNotFound')) throw notFound(groupResource(rt), name);
        if (!isStorageError(err, 'Conflict') || attempt >= MAX_WRITE_ATTEMPTS) throw conflict(groupResource(rt), name);
      }
    }
  }

  /** DELETE on a collection: deletes each selected object in turn. */
  async deleteCollection(scope: RequestScope, predicate: Predicate | undefined, opts: DeleteOptions): Promise<KubeList<KubeObject>> {
    const list = await this.list(scope, predicate ? { predicate } : {});
    const deleted: KubeObject[] = [];
    for (const item of list.items) {
      const s = { ...scope, namespace: item.metadata.namespace };
      try {
        const res = await this.delete(s, item.metadata.name ?? '', opts);
        if ('metadata' in res && (res as KubeObject).kind !== 'Status') deleted.push(res as KubeObject);
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err;
      }
    }
    return { ...list, items: deleted };
  }
}

function pinnedVersionOf(patch: unknown): string | undefined {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return undefined;
  const meta = (patch as { metadata?: { resourceVersion?: unknown } }).metadata;
  return typeof meta?.resourceVersion === 'string' && meta.resourceVersion ? meta.resourceVersion : undefined;
}

function checkPreconditions(scope: RequestScope, name: string, current: AnyObject, pre: DeleteOptions['preconditions']): void {
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(groupResource(scope.rt), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(groupResource(scope.rt), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`);
  }
}

/** The finalizers that propagation policies add, handled by the garbage collector. */
const FOREGROUND_FINALIZER = 'foregroundDeletion';
const ORPHAN_FINALIZER = 'orphan';

/**
 * Decides what a delete does: undefined means remove the object now; otherwise the object marked
 * with deletionTimestamp (graceful pods, finalizers, namespaces) to be removed later.
 */
function markForDeletion(rt: ResourceType, obj: AnyObject, opts: DeleteOptions): AnyObject | undefined {
  const finalizers = new Set(obj.metadata.finalizers ?? []);
  if (!obj.metadata.deletionTimestamp) {
    if (opts.propagationPolicy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
    if (opts.propagationPolicy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  }
  const grace = gracePeriodFor(rt, obj, opts.gracePeriodSeconds);
  if (finalizers.size === 0 && grace === 0 && !deletionBlocked(rt, obj)) return undefined;
  if (finalizers.size > 0) obj.metadata.finalizers = [...finalizers];
  const pendingGrace = obj.metadata.deletionGracePeriodSeconds;
  // A second delete may only shorten a pod's grace period, as in Kubernetes.
  const effective = pendingGrace === undefined ? grace : Math.min(pendingGrace, grace);
  if (!obj.metadata.deletionTimestamp || effective !== pendingGrace) {
    obj.metadata.deletionTimestamp = now(effective);
    obj.metadata.deletionGracePeriodSeconds = effective;
  }
  strategyFor(rt).prepareForDeletion?.(obj);
  return obj;
}

export { successStatus };
