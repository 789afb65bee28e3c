// Watch streams: the events of one `?watch=true` response as an async iterable.
//
// Contract:
// - The request is sent when iteration starts; HTTP errors throw `ApiError` (a too-old
//   resourceVersion answers 410).
// - Events are yielded in the order the server sent them. ADDED, MODIFIED and DELETED carry the
//   object; BOOKMARK carries only `metadata.resourceVersion` (the point the watch has reached).
// - An ERROR event throws an `ApiError` with the Status it carries (410 Gone/Expired when the
//   watch fell out of the server's history), ending the iteration.
// - The iteration ends normally when the server closes the stream, or when the caller's `signal`
//   aborts. A connection that breaks mid-stream throws `TransportError`.
// - Leaving the loop early (`break`, `return`, a throw) aborts the request and frees the connection.
import { ApiError, failureStatus } from '@kite/apimachinery';
import type { KubeObject } from '@kite/api-types';
import { decodeNdjson } from './ndjson.js';
import { isStatus, TransportError, type HttpRequest, type Transport } from '../http/transport.js';

/** The object of a BOOKMARK event: only the resourceVersion the watch has reached is meaningful. */
export interface BookmarkObject {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
}

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; object: BookmarkObject };

export type WatchEventType = WatchEvent['type'];

const OBJECT_EVENTS: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/** Checks the shape of one decoded line and turns it into an event, or throws for ERROR. */
export function toWatchEvent<T extends KubeObject>(value: unknown): WatchEvent<T> {
  if (typeof value !== 'object' || value === null) throw protocolError(`watch event is not an object: ${JSON.stringify(value)}`);
  const { type, object } = value as { type?: unknown; object?: unknown };
  if (typeof object !== 'object' || object === null) throw protocolError(`watch event ${String(type)} has no object`);
  if (type === 'ERROR') {
    throw isStatus(object) ? ApiError.fromStatus(object) : new ApiError(failureStatus(500, 'InternalError', `watch error: ${JSON.stringify(object)}`));
  }
  if (type === 'BOOKMARK') return { type, object: object as BookmarkObject };
  if (typeof type === 'string' && OBJECT_EVENTS.has(type)) {
    return { type: type as 'ADDED' | 'MODIFIED' | 'DELETED', object: object as T };
  }
  throw protocolError(`unknown watch event type ${JSON.stringify(type)}`);
}

function protocolError(message: string): ApiError {
  return new ApiError(failureStatus(500, 'InternalError', message));
}

/** Streams the events of one watch request. */
export async function* watchStream<T extends KubeObject>(transport: Transport, req: HttpRequest): AsyncGenerator<WatchEvent<T>> {
  const userSignal = req.signal;
  const own = new AbortController();
  const signal = userSignal ? AbortSignal.any([userSignal, own.signal]) : own.signal;
  try {
    const res = await transport.send({ ...req, signal, timeoutMs: 0 });
    if (!res.body) return;
    try {
      for await (const value of decodeNdjson(res.body)) yield toWatchEvent<T>(value);
    } catch (err) {
      if (userSignal?.aborted) return;
      if (err instanceof ApiError) throw err;
      throw new TransportError(`watch ${req.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } catch (err) {
    if (userSignal?.aborted) return;
    throw err;
  } finally {
    own.abort();
  }
}
