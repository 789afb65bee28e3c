// Notifications: what an informer tells its handlers, and the queue that delivers them.
//
// Why a queue: the informer changes its cache first and notifies afterwards. Handlers therefore
// never run while the cache is half-updated (mid-relist, mid-event), and a handler that reads the
// cache or registers another handler cannot observe or cause an inconsistent state. Delivery is
// asynchronous (a microtask after the change), in the order the changes were made; a handler that
// throws is reported through `onError` and does not stop delivery to the others. A handler only
// receives notifications queued after it was registered (the informer replays the cache to a new
// `add` handler instead), so it never sees the same change twice.
import type { DeepReadonly } from '../cache/readonly.js';

/** Informer event names, as constants so that `on(InformerEvents.Add, …)` is checked. */
export const InformerEvents = { Add: 'add', Update: 'update', Delete: 'delete' } as const;
export type InformerEventName = (typeof InformerEvents)[keyof typeof InformerEvents];

export interface InformerHandlers<T> {
  add: (obj: DeepReadonly<T>) => void;
  /** Also called with the same object twice on a periodic resync. */
  update: (oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>) => void;
  /** Receives the object's final state (from the DELETED event, or the cache after a relist). */
  delete: (obj: DeepReadonly<T>) => void;
}

export type Notification<T> =
  | { type: 'add'; obj: DeepReadonly<T> }
  | { type: 'update'; oldObj: DeepReadonly<T>; newObj: DeepReadonly<T> }
  | { type: 'delete'; obj: DeepReadonly<T> };

/** Each handler with the sequence number of the last notification queued before it registered. */
type HandlerSet<T> = { [E in InformerEventName]: Map<InformerHandlers<T>[E], number> };

interface Queued<T> {
  n: Notification<T>;
  seq: number;
  /** Deliver only to this handler (replaying the cache to a late-registered `add` handler). */
  only?: InformerHandlers<T>['add'];
}

export class Notifier<T> {
  private readonly handlers: HandlerSet<T> = { add: new Map(), update: new Map(), delete: new Map() };
  private readonly queue: Queued<T>[] = [];
  private seq = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onError: (err: unknown) => void) {}

  on<E extends InformerEventName>(event: E, handler: InformerHandlers<T>[E]): void {
    (this.handlers[event] as Map<InformerHandlers<T>[E], number>).set(handler, this.seq);
  }

  off<E extends InformerEventName>(event: E, handler: InformerHandlers<T>[E]): void {
    (this.handlers[event] as Map<InformerHandlers<T>[E], number>).delete(handler);
  }

  push(n: Notification<T>, only?: InformerHandlers<T>['add']): void {
    const seq = ++this.seq;
    this.queue.push(only ? { n, seq, only } : { n, seq });
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Resolves once every notification queued so far has been delivered. */
  idle(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    for (let q = this.queue.shift(); q !== undefined; q = this.queue.shift()) this.deliver(q);
    this.scheduled = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private deliver({ n, seq, only }: Queued<T>): void {
    const call = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        this.onError(err);
      }
    };
    /** Handlers of `event` registered before this notification was queued. */
    const targets = <E extends InformerEventName>(event: E): InformerHandlers<T>[E][] =>
      [...(this.handlers[event] as Map<InformerHandlers<T>[E], number>)].filter(([, since]) => since < seq).map(([h]) => h);
    if (only) {
      if (n.type === 'add' && this.handlers.add.has(only)) call(() => only(n.obj));
      return;
    }
    switch (n.type) {
      case 'add':
        for (const h of targets('add')) call(() => h(n.obj));
        break;
      case 'update':
        for (const h of targets('update')) call(() => h(n.oldObj, n.newObj));
        break;
      case 'delete':
        for (const h of targets('delete')) call(() => h(n.obj));
        break;
    }
  }
}
