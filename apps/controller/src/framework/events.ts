// Events for what the controllers do (SuccessfulCreate, ScalingReplicaSet, …), so
// `kubectl describe` tells the story.
//
// Contract:
// - `event(obj, type, reason, message)` never throws and never blocks the caller: the client's
//   EventRecorder writes in the background and aggregates repeats into one Event with a count.
// - On top of that, a spam filter: each object gets SPAM_BURST events, then one more every
//   SPAM_REFILL_MS; the rest are dropped (as client-go's EventSourceObjectSpamFilter does), so a
//   1,000-pod scale-up costs 25 Event writes, not 1,000.
// - `flush()` resolves once every write started so far has finished (for clean shutdown).
import { EventResource, type EventType, type KubeObject } from '@kite/api-types';
import { EventRecorder, type DeepReadonly, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';

/** Events one object may get at once before the spam filter applies. */
export const SPAM_BURST = 25;
/** After the burst, one more event per object per this interval. */
export const SPAM_REFILL_MS = 5 * 60 * 1000;
/** Spam buckets remembered; beyond this the table starts over (a brief burst allowance). */
const MAX_BUCKETS = 8192;

export const EVENT_NORMAL: EventType = 'Normal';
export const EVENT_WARNING: EventType = 'Warning';

export type EventTarget = DeepReadonly<KubeObject>;

export interface Recorder {
  event(obj: EventTarget, type: EventType, reason: string, message: string): void;
}

/** Drops every event: for tests that do not look at them. */
export const discardEvents: Recorder = { event: () => undefined };

export class ControllerEventRecorder implements Recorder {
  private readonly recorder: EventRecorder;
  private readonly buckets = new Map<string, { left: number; at: number }>();
  private readonly now: () => number;

  constructor(opts: { client: KubeClient; component: string; logger: Logger; now?: () => number }) {
    const log = opts.logger;
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder({
      client: opts.client.resource(EventResource),
      component: opts.component,
      onError: (err) => log.debug({ err: err instanceof Error ? err.message : String(err) }, 'event not recorded'),
    });
  }

  event(obj: EventTarget, type: EventType, reason: string, message: string): void {
    const id = obj.metadata.uid ?? `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
    if (this.allow(id)) void this.recorder.event(obj, type, reason, message);
  }

  flush(): Promise<void> {
    return this.recorder.flush();
  }

  /** Takes a token from the object's bucket: SPAM_BURST at first, refilled one per SPAM_REFILL_MS. */
  private allow(id: string): boolean {
    const now = this.now();
    const b = this.buckets.get(id) ?? { left: SPAM_BURST, at: now };
    const refill = Math.floor((now - b.at) / SPAM_REFILL_MS);
    if (refill > 0) {
      b.left = Math.min(SPAM_BURST, b.left + refill);
      b.at += refill * SPAM_REFILL_MS;
    }
    if (this.buckets.size >= MAX_BUCKETS && !this.buckets.has(id)) this.buckets.clear();
    this.buckets.set(id, b);
    if (b.left <= 0) return false;
    b.left--;
    return true;
  }
}
