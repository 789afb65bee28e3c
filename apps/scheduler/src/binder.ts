// Binder: sends bindings (POST pods/NAME/binding) in the background with bounded concurrency.
// The scheduling loop waits for a free slot before deciding the next pod, so a slow apiserver
// slows the scheduler down instead of piling up unbounded requests and assumed pods.

/** Bindings in flight at once: enough to hide loopback latency at thousands of pods per second. */
export const BIND_MAX_IN_FLIGHT = 64;

export type BindFn = (namespace: string, name: string, nodeName: string) => Promise<void>;

export class Binder {
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];

  constructor(
    private readonly bindFn: BindFn,
    private readonly maxInFlight = BIND_MAX_IN_FLIGHT,
  ) {}

  /** Resolves once a binding may start. */
  waitForSlot(): Promise<void> {
    if (this.inFlight < this.maxInFlight) return Promise.resolve();
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  /** Starts one binding; the promise settles with its outcome. */
  bind(namespace: string, name: string, nodeName: string): Promise<void> {
    this.inFlight++;
    return this.bindFn(namespace, name, nodeName).finally(() => {
      this.inFlight--;
      this.slotWaiters.shift()?.();
    });
  }

  pending(): number {
    return this.inFlight;
  }
}
