// Streams a watch as newline-delimited JSON events. Headers are flushed at once (kubectl wait
// hangs otherwise). Each stored event is encoded once and the same line is written to every
// watcher that receives it unchanged; a watcher that falls too far behind is closed, and its
// client re-watches from its last resourceVersion, as with Kubernetes. A watch at a converted
// version (autoscaling/v1) reads the storage version's events and converts each object.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject, ResourceType, WatchEventType } from '@kite/api-types';
import { badRequest, expired, timeout } from '@kite/apimachinery';
import type { CacheEvent, WatchCache, WatchSink } from '../storage/watch-cache.js';
import { isStorageError } from '../storage/errors.js';
import { resourceKey } from '../storage/keys.js';
import type { RestStorage } from '../registry/rest.js';
import type { RequestScope } from '../registry/scope.js';
import type { Predicate } from '../registry/selection.js';
import { toServed } from '../registry/versions.js';
import type { ResponseForm } from './negotiation.js';
import { partialObjectMetadata, toTable } from './table.js';

/** Bytes queued for one slow watcher before it is disconnected. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/** How long a watch from a revision newer than the cache's waits for the cache to catch up. */
const FUTURE_REVISION_WAIT_MS = 3000;
/** Longest a watch stays open without `timeoutSeconds` (Kubernetes picks 30–60 minutes). */
const DEFAULT_WATCH_SECONDS = 1800;

export interface WatchRequest {
  scope: RequestScope;
  predicate?: Predicate;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  form: ResponseForm;
}

type Encoded = CacheEvent & { lines?: Partial<Record<WatchEventType, string>> };

/** `raw`, the stored JSON, is only passed for kinds served at their storage version. */
function encoderFor(form: ResponseForm, rt: ResourceType): (type: WatchEventType, stored: KubeObject, raw?: string) => string {
  const served = (obj: KubeObject) => toServed(rt, obj);
  if (form === 'table') return (type, obj) => `{"type":"${type}","object":${JSON.stringify(toTable(rt.kind, [served(obj)], { resourceVersion: obj.metadata.resourceVersion ?? '' }))}}\n`;
  if (form === 'metadata') return (type, obj) => `{"type":"${type}","object":${JSON.stringify(partialObjectMetadata(served(obj)))}}\n`;
  return (type, obj, raw) => `{"type":"${type}","object":${raw ?? JSON.stringify(served(obj))}}\n`;
}

export async function serveWatch(req: FastifyRequest, reply: FastifyReply, cache: WatchCache, rest: RestStorage, w: WatchRequest): Promise<void> {
  const { rt } = w.scope;
  const encode = encoderFor(w.form, rt);
  // One encoded line for every watcher of an event, unless each line needs a conversion first.
  const shared = w.form === 'json' && !rt.conversion;
  const initial: KubeObject[] = [];
  let from: number;
  if (!w.resourceVersion || w.resourceVersion === '0') {
    const list = await rest.list(w.scope, w.predicate ? { predicate: w.predicate } : {});
    initial.push(...list.items);
    from = Number(list.metadata.resourceVersion ?? 0);
  } else {
    from = Number(w.resourceVersion);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${w.resourceVersion}`);
    if (from < cache.oldestResumable) throw expired(`too old resource version: ${from} (${cache.oldestResumable})`);
    if (from > cache.revision) {
      // The client may have read from Redis a revision this cache has not delivered yet: wait a little.
      await cache.waitFor(from, FUTURE_REVISION_WAIT_MS);
      if (from > cache.revision) throw timeout(`Too large resource version: ${from}, current: ${cache.revision}`, 1);
    }
  }

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  let timer: NodeJS.Timeout | undefined = undefined;
  let unregister = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unregister();
    clearTimeout(timer);
    res.end();
  };
  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };
  for (const obj of initial) write(encode('ADDED', obj));
  const sink: WatchSink = {
    event(type, ev: Encoded) {
      if (!shared) return write(encode(type, ev.object));
      ev.lines ??= {};
      const line = (ev.lines[type] ??= encode(type, ev.object, ev.raw));
      write(line);
    },
    expire(message) {
      write(`{"type":"ERROR","object":${JSON.stringify(expired(message).status)}}\n`);
      close();
    },
    bookmark(revision) {
      write(`{"type":"BOOKMARK","object":{"kind":"${rt.kind}","apiVersion":"${rt.apiVersion}","metadata":{"resourceVersion":"${revision}"}}}\n`);
    },
  };
  try {
    unregister = cache.watch(
      { resource: resourceKey(rt.group, rt.plural), ...(rt.namespaced && w.scope.namespace ? { namespace: w.scope.namespace } : {}), ...(w.predicate ? { matches: w.predicate } : {}) },
      from,
      sink,
      w.bookmarks,
    );
  } catch (err) {
    if (!isStorageError(err, 'TooOld')) throw err;
    write(`{"type":"ERROR","object":${JSON.stringify(expired(err.message).status)}}\n`);
    close();
    return;
  }
  timer = setTimeout(close, (w.timeoutSeconds ?? DEFAULT_WATCH_SECONDS) * 1000);
  req.raw.on('close', close);
  res.on('close', close);
  res.on('error', close);
}
