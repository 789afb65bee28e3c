// BoundedRunner: runs best-effort background writes (events, status conditions) with bounded
// concurrency and a bounded backlog. Beyond the backlog, new tasks are dropped and counted: these
// writes explain what the scheduler did, and must never slow down or stall the scheduling itself
// (Kubernetes' event broadcaster drops events the same way when its buffer is full).

export interface BoundedRunnerOptions {
  maxInFlight: number;
  maxBacklog: number;
  onDrop?: () => void;
  onError?: (err: unknown) => void;
}

export class BoundedRunner {
  private readonly backlog: (() => Promise<unknown>)[] = [];
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: BoundedRunnerOptions) {}

  /** Queues a task; returns false when it was dropped. */
  run(task: () => Promise<unknown>): boolean {
    if (this.backlog.length >= this.opts.maxBacklog) {
      this.opts.onDrop?.();
      return false;
    }
    this.backlog.push(task);
    this.pump();
    return true;
  }

  /** Resolves when every accepted task has settled. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.backlog.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight) {
      const task = this.backlog.shift();
      if (!task) break;
      this.inFlight++;
      void this.execute(task);
    }
  }

  private async execute(task: () => Promise<unknown>): Promise<void> {
    try {
      await task();
    } catch (err) {
      this.opts.onError?.(err);
    } finally {
      this.inFlight--;
      this.pump();
      if (this.inFlight === 0 && this.backlog.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
