// EventRecorder: core/v1 Events for what the controllers do (SuccessfulCreate, ScalingReplicaSet,
// …), so `kubectl describe` tells the story.
//
// Contract:
// - `event(obj, type, reason, message)` never throws and never blocks the caller: the write
//   happens in the background and failures are logged at debug level (an Event is a courtesy).
// - An identical event (same object, type, reason, message) within AGGREGATE_WINDOW_MS bumps
//   `count` and `lastTimestamp` of the existing Event instead of creating another one.
// - Spam filter: each object gets SPAM_BURST events, then one more every SPAM_REFILL_MS; the rest
//   are dropped, so a 1,000-pod scale-up does not cost 1,000 extra writes.
// - `flush()` resolves once every write started so far has finished (for clean shutdown).
import { EventResource, type Event, type EventType, type KubeObject } from '@kite/api-types';
import type { DeepReadonly, KubeClient, ResourceClient } from '@kite/client';
import type { Logger } from '@kite/component-base';

/** Events one object may get at once before the spam filter applies. */
export const SPAM_BURST = 25;
/** After the burst, one more event per object per this interval. */
export const SPAM_REFILL_MS = 5 * 60 * 1000;
/** Identical events closer together than this are merged into one with a count. */
export const AGGREGATE_WINDOW_MS = 10 * 60 * 1000;
/** Most aggregation entries remembered; the oldest are forgotten first. */
const MAX_REMEMBERED = 4096;

export const EVENT_NORMAL: EventType = 'Normal';
export const EVENT_WARNING: EventType = 'Warning';

export type EventTarget = DeepReadonly<KubeObject>;

export interface Recorder {
  event(obj: EventTarget, type: EventType, reason: string, message: string): void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

export class EventRecorder implements Recorder {
  private readonly events: ResourceClient<Event>;
  private readonly component: string;
  private readonly log: Logger;
  private readonly seen = new Map<string, Seen>();
  private readonly tokens = new Map<string, { left: number; at: number }>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(opts: { client: KubeClient; component: string; logger: Logger }) {
    this.events = opts.client.resource(EventResource);
    this.component = opts.component;
    this.log = opts.logger;
  }

  event(obj: EventTarget, type: EventType, reason: string, message: string): void {
    const uid = obj.metadata.uid ?? `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
    if (!this.allow(uid)) return;
    const p = this.write(obj, type, reason, message, `${uid}|${type}|${reason}|${message}`)
      .catch((err: unknown) => this.log.debug({ reason, err: err instanceof Error ? err.message : String(err) }, 'event not recorded'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.inflight]);
  }

  /** Takes a token of the object's spam bucket. */
  private allow(uid: string): boolean {
    const now = Date.now();
    const b = this.tokens.get(uid) ?? { left: SPAM_BURST, at: now };
    const refilled = Math.min(SPAM_BURST, b.left + Math.floor((now - b.at) / SPAM_REFILL_MS));
    if (refilled !== b.left) b.at = now;
    b.left = refilled;
    if (this.tokens.size > MAX_REMEMBERED) this.tokens.clear();
    this.tokens.set(uid, b);
    if (b.left <= 0) return false;
    b.left--;
    return true;
  }

  private async write(obj: EventTarget, type: EventType, reason: string, message: string, key: string): Promise<void> {
    const now = new Date();
    const stamp = now.toISOString();
    const prev = this.seen.get(key);
    if (prev && now.getTime() - prev.at < AGGREGATE_WINDOW_MS) {
      prev.count++;
      prev.at = now.getTime();
      await this.events.patch(prev.name, { count: prev.count, lastTimestamp: stamp }, { type: 'merge', namespace: prev.namespace });
      return;
    }
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name ?? 'unknown'}.${now.getTime().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value ?? '');
    this.seen.set(key, { name, namespace, count: 1, first: stamp, at: now.getTime() });
    await this.events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    });
  }
}
