// EventSink: writes the scheduler's Events (Scheduled, FailedScheduling) without ever slowing
// scheduling down. Events are best effort, as in Kubernetes, whose event broadcaster drops events
// when its buffer is full: at most MAX_IN_FLIGHT writes run at once, up to MAX_BACKLOG wait, and
// anything beyond is dropped and counted (scheduler_events_dropped_total).
import type { EventType } from '@kite/api-types';
import type { EventRecorder, InvolvedObject } from '@kite/client';

/** Concurrent event writes; enough to keep up with binding on loopback. */
export const EVENT_MAX_IN_FLIGHT = 16;
/** Events waiting beyond that before new ones are dropped. */
export const EVENT_MAX_BACKLOG = 10_000;

export const REASON_SCHEDULED = 'Scheduled';
export const REASON_FAILED_SCHEDULING = 'FailedScheduling';

interface PendingEvent {
  obj: InvolvedObject;
  type: EventType;
  reason: string;
  message: string;
}

export interface EventSinkOptions {
  recorder: Pick<EventRecorder, 'event'>;
  maxInFlight?: number;
  maxBacklog?: number;
  onDrop?: () => void;
}

export class EventSink {
  private readonly backlog: PendingEvent[] = [];
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: EventSinkOptions) {}

  record(obj: InvolvedObject, type: EventType, reason: string, message: string): void {
    if (this.backlog.length >= (this.opts.maxBacklog ?? EVENT_MAX_BACKLOG)) {
      this.opts.onDrop?.();
      return;
    }
    this.backlog.push({ obj, type, reason, message });
    this.pump();
  }

  /** Resolves when every accepted event has been written (or failed). */
  flush(): Promise<void> {
    if (this.inFlight === 0 && this.backlog.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const max = this.opts.maxInFlight ?? EVENT_MAX_IN_FLIGHT;
    while (this.inFlight < max) {
      const e = this.backlog.shift();
      if (!e) break;
      this.inFlight++;
      void this.opts.recorder.event(e.obj, e.type, e.reason, e.message).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.backlog.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }
}

/** The Pod reference an event needs (informer objects may lack apiVersion and kind). */
export function podRef(pod: { readonly metadata: InvolvedObject['metadata'] }): InvolvedObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
}
