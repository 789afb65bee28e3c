// EventRecorder: writes core/v1 Events about objects ("Scheduled", "Pulled", "BackOff"), as
// `kubectl describe` shows them.
//
// Contract:
// - `event(obj, type, reason, message)` records that something happened to `obj`. The Event lives
//   in the object's namespace (`default` for cluster-scoped objects), names the object in
//   `involvedObject`, and carries `source` {component, host} and reportingComponent/Instance.
// - Repeats of the same (object, type, reason, message, source) are aggregated: the first creates
//   an Event with count 1; each repeat PATCHes that Event's count and lastTimestamp instead of
//   creating another. If the Event has vanished meanwhile (deleted, expired), a new one is created.
//   Writes for one aggregation key are serialised, so counts never go backwards.
// - Recording is best effort: `event` never rejects; failures go to `onError` and resolve to
//   undefined. `flush()` waits for every write started so far (use it on shutdown).
// - The aggregation cache is an LRU of `cacheSize` keys.
import { randomInt } from 'node:crypto';
import { isNotFound } from '@kite/apimachinery';
import type { Event, EventType } from '@kite/api-types';
import { systemClock, type Clock } from '../clock.js';
import type { PatchOptions, WriteOptions } from '../resource-client.js';

/** What the recorder needs of `kube.resource(EventResource)`. */
export interface EventClient {
  create(obj: Event, opts?: WriteOptions): Promise<Event>;
  patch(name: string, body: unknown, opts: PatchOptions): Promise<Event>;
}

/** The object an event is about: any (possibly cached, readonly) object. */
export interface InvolvedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly resourceVersion?: string };
}

export interface EventRecorderOptions {
  client: EventClient;
  /** source.component and reportingComponent, e.g. `default-scheduler`, `kubelet`. */
  component: string;
  /** source.host: the node the event comes from (kubelet). */
  host?: string;
  /** reportingInstance, e.g. `kubelet-node-1`; defaults to `component` or `component-host`. */
  reportingInstance?: string;
  clock?: Clock;
  cacheSize?: number;
  onError?: (err: unknown) => void;
}

export interface EventOptions {
  /** The part of the object, e.g. `spec.containers{web}`. */
  fieldPath?: string;
  action?: string;
}

/** Aggregation keys remembered (client-go keeps 4096). */
export const DEFAULT_EVENT_CACHE_SIZE = 4096;
/** Namespace of events about cluster-scoped objects (nodes, namespaces). */
export const CLUSTER_EVENT_NAMESPACE = 'default';
/** Longest object name kept in an event's name, leaving room for the `.suffix`. */
const MAX_NAME_PREFIX = 230;

interface Aggregate {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly cacheSize: number;
  /** Aggregation key → the Event last written for it (Map order = LRU order). */
  private readonly cache = new Map<string, Aggregate>();
  /** Aggregation key → the write in flight for it. */
  private readonly pending = new Map<string, Promise<Event | undefined>>();

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.cacheSize = opts.cacheSize ?? DEFAULT_EVENT_CACHE_SIZE;
  }

  event(obj: InvolvedObject, type: EventType, reason: string, message: string, opts: EventOptions = {}): Promise<Event | undefined> {
    const key = this.aggregationKey(obj, type, reason, message, opts);
    const previous = this.pending.get(key) ?? Promise.resolve(undefined);
    const next = previous.then(() => this.write(key, obj, type, reason, message, opts));
    this.pending.set(key, next);
    void next.finally(() => {
      if (this.pending.get(key) === next) this.pending.delete(key);
    });
    return next;
  }

  /** Resolves once every event recorded so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()]);
  }

  private async write(key: string, obj: InvolvedObject, type: EventType, reason: string, message: string, opts: EventOptions): Promise<Event | undefined> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      const seen = this.touch(key);
      if (seen) {
        try {
          const patched = await this.opts.client.patch(seen.name, { count: seen.count + 1, lastTimestamp: now }, { type: 'merge', namespace: seen.namespace });
          seen.count = patched.count ?? seen.count + 1;
          return patched;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          this.cache.delete(key);
        }
      }
      const created = await this.opts.client.create(this.build(obj, type, reason, message, opts, now));
      this.remember(key, { name: created.metadata.name ?? '', namespace: created.metadata.namespace ?? '', count: created.count ?? 1 });
      return created;
    } catch (err) {
      this.report(err);
      return undefined;
    }
  }

  private build(obj: InvolvedObject, type: EventType, reason: string, message: string, opts: EventOptions, now: string): Event {
    const m = obj.metadata;
    const namespace = m.namespace || CLUSTER_EVENT_NAMESPACE;
    const involvedObject: Event['involvedObject'] = { kind: obj.kind, apiVersion: obj.apiVersion, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
    if (m.namespace) involvedObject.namespace = m.namespace;
    if (opts.fieldPath) involvedObject.fieldPath = opts.fieldPath;
    const { component, host } = this.opts;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.eventName(m.name ?? 'unknown'), namespace },
      involvedObject: dropUndefined(involvedObject),
      reason,
      message,
      type,
      source: host ? { component, host } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
      reportingInstance: this.opts.reportingInstance ?? (host ? `${component}-${host}` : component),
    };
    if (opts.action) ev.action = opts.action;
    return ev;
  }

  /**
   * `OBJECT.HEX`: the object's name and a time-ordered suffix, as Kubernetes names events (it uses
   * nanoseconds; we use milliseconds × 10⁶ plus a random part so two recorders rarely collide).
   */
  private eventName(objectName: string): string {
    const suffix = (BigInt(this.clock.now()) * 1_000_000n + BigInt(randomInt(1_000_000))).toString(16);
    return `${objectName.slice(0, MAX_NAME_PREFIX).replace(/[.-]+$/, '')}.${suffix}`;
  }

  private aggregationKey(obj: InvolvedObject, type: EventType, reason: string, message: string, opts: EventOptions): string {
    const m = obj.metadata;
    return JSON.stringify([obj.apiVersion, obj.kind, m.namespace, m.name, m.uid, opts.fieldPath, type, reason, message, this.opts.component, this.opts.host]);
  }

  /** The cached aggregate, marked as most recently used. */
  private touch(key: string): Aggregate | undefined {
    const a = this.cache.get(key);
    if (a) {
      this.cache.delete(key);
      this.cache.set(key, a);
    }
    return a;
  }

  private remember(key: string, a: Aggregate): void {
    this.cache.delete(key);
    this.cache.set(key, a);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.cacheSize) break;
      this.cache.delete(oldest);
    }
  }

  private report(err: unknown): void {
    if (this.opts.onError) this.opts.onError(err);
    else console.error('event recorder:', err);
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
