// Keeps a few container Workers booted ahead of need.
// Why: booting a Worker (a fresh V8 isolate and Node.js environment, then our entry module)
// takes 30-60 ms on this machine, the bulk of a Wasm pod's start. A pooled Worker has done
// that already, so starting a container only posts its job. Each take() spawns a replacement
// (at once when the pool ran dry), so under a burst of starts each waits only for the rest of a
// boot already under way. Idle Workers are unref'd: they never keep the kubelet process alive.
import { Worker } from 'node:worker_threads';
import { workerEntryUrl, workerExecArgv } from './worker-url.js';

/**
 * JS heap limits of a container's Worker: the host code needs little, and a small young
 * generation keeps an idle pod's footprint low. Guest linear memory is not counted here.
 */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4, stackSizeMb: 4 };

/** Default number of Workers kept booted (each costs about as much as an idle pod). */
export const DEFAULT_WARM_WORKERS = 2;

/**
 * How long a replacement waits while the pool still holds a booted Worker. A boot is 30-60 ms
 * of CPU; spent at once, it competes with the container just started (its first readiness
 * probe, the request that scaled it from zero) on a 2-core machine.
 */
export const REFILL_DELAY_MS = 1000;

export class WorkerPool {
  readonly #size: number;
  readonly #idle: Worker[] = [];
  #closed = false;
  #refillTimer: NodeJS.Timeout | undefined;

  constructor(size = DEFAULT_WARM_WORKERS) {
    this.#size = size;
  }

  #spawn(): Worker {
    return new Worker(workerEntryUrl(), { stdout: true, stderr: true, env: {}, resourceLimits: WORKER_RESOURCE_LIMITS, execArgv: workerExecArgv() });
  }

  #refill(): void {
    while (!this.#closed && this.#idle.length < this.#size) {
      const worker = this.#spawn();
      worker.unref();
      worker.once('exit', () => {
        const at = this.#idle.indexOf(worker);
        if (at >= 0) this.#idle.splice(at, 1);
      });
      this.#idle.push(worker);
    }
  }

  /**
   * A booted (or booting) Worker for one container. The pool starts its replacement at once
   * when it has no other booted Worker left, else after REFILL_DELAY_MS.
   */
  take(): Worker {
    const worker = this.#idle.shift() ?? this.#spawn();
    worker.removeAllListeners('exit');
    worker.ref();
    if (this.#idle.length === 0) this.#refill();
    else this.#refillTimer ??= setTimeout(() => {
      this.#refillTimer = undefined;
      this.#refill();
    }, REFILL_DELAY_MS).unref();
    return worker;
  }

  /** Fills the pool (called once the runtime is ready to run containers). */
  warm(): void {
    this.#refill();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#refillTimer);
    await Promise.all(this.#idle.splice(0).map((w) => w.terminate()));
  }
}
