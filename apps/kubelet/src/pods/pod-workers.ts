// One worker per pod: syncs are serialised per pod (never two at once for the same pod), coalesced
// (many triggers while a sync runs give one more sync), and can be scheduled for later (back-off,
// probes). Different pods sync concurrently.

export interface PodWorkerHandlers {
  /** Runs one sync of the pod; errors are caught and the pod retried. */
  sync(uid: string): Promise<void>;
  onError(uid: string, err: unknown): void;
}

interface Worker {
  running: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
  dueAt?: number;
}

/** Retry delay after a sync threw. */
const ERROR_RETRY_MS = 1000;

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly handlers: PodWorkerHandlers) {}

  /** Syncs the pod as soon as possible. */
  trigger(uid: string): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, again: false }));
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    void this.run(uid, w);
  }

  /** Syncs the pod after `ms` (an earlier pending time wins). */
  after(uid: string, ms: number): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, again: false }));
    const due = Date.now() + ms;
    if (w.timer && w.dueAt !== undefined && w.dueAt <= due) return;
    clearTimeout(w.timer);
    w.dueAt = due;
    w.timer = setTimeout(() => {
      w.timer = undefined;
      w.dueAt = undefined;
      this.trigger(uid);
    }, Math.max(0, ms));
  }

  private async run(uid: string, w: Worker): Promise<void> {
    do {
      w.again = false;
      try {
        await this.handlers.sync(uid);
      } catch (err) {
        this.handlers.onError(uid, err);
        this.after(uid, ERROR_RETRY_MS);
      }
    } while (w.again && !this.stopped);
    w.running = false;
  }

  /** Forgets a pod once it is gone. */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    if (w) clearTimeout(w.timer);
    this.workers.delete(uid);
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) clearTimeout(w.timer);
  }
}
