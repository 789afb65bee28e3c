// LeaderElector: lets several copies of a component (scheduler, controller manager) run while
// only one acts, by holding a coordination.k8s.io/v1 Lease (BRIEF §3).
//
// Contract:
// - `start()` campaigns: every retryPeriod (with up to 20% jitter) it tries to take the lease
//   (see lease-lock.ts for when that succeeds). Once it holds the lease it calls
//   `onStartedLeading(signal)` and renews every retryPeriod.
// - Leadership ends when renewing has failed for renewDeadline (the apiserver is unreachable, or
//   another candidate holds the lease): the signal aborts, `onStoppedLeading()` is called, and the
//   elector goes back to campaigning. renewDeadline < leaseDuration, so a leader that cannot renew
//   stops acting before any other candidate can consider the lease expired.
// - `stop()` ends the campaign; a leader aborts the signal, waits for the promise returned by
//   `onStartedLeading` (it must settle promptly once the signal aborts), calls
//   `onStoppedLeading()`, then releases the lease so a standby takes over at once.
// - `onNewLeader(identity)` is called whenever the observed holder changes, ourselves included.
// - Callback errors are reported through `onError`; they do not end the campaign.
import { systemClock, sleep, type Clock } from '../clock.js';
import { LeaseLock, type LeaseClient } from './lease-lock.js';

/** How long a lease is valid after its last renewal (client-go's default). */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
/** How long a leader keeps trying to renew before it gives up leadership. */
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
/** How often candidates try to acquire and the leader renews. */
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
/** Acquire attempts wait retryPeriod × (1 + up to this fraction), so candidates do not collide. */
export const RETRY_JITTER = 0.2;

export interface LeaderCallbacks {
  /** Start acting; stop when `signal` aborts. May return a promise that settles when done. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
}

export interface LeaderElectorOptions {
  /** `kube.resource(LeaseResource)`. */
  client: LeaseClient;
  namespace: string;
  name: string;
  /** Unique per candidate, e.g. `${hostname}_${randomUUID()}`. */
  identity: string;
  callbacks: LeaderCallbacks;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Release the lease on `stop()` (default true). */
  releaseOnStop?: boolean;
  clock?: Clock;
  random?: () => number;
  onError?: (err: unknown) => void;
}

export class LeaderElector {
  private readonly opts: LeaderElectorOptions;
  private readonly clock: Clock;
  private readonly lock: LeaseLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly campaign = new AbortController();
  private loop: Promise<void> | undefined;
  private leading = false;

  constructor(opts: LeaderElectorOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.leaseDurationMs = opts.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = opts.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (this.renewDeadlineMs >= this.leaseDurationMs) throw new Error('renewDeadlineMs must be shorter than leaseDurationMs');
    if (this.retryPeriodMs >= this.renewDeadlineMs) throw new Error('retryPeriodMs must be shorter than renewDeadlineMs');
    this.lock = new LeaseLock({
      client: opts.client,
      namespace: opts.namespace,
      name: opts.name,
      identity: opts.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      clock: this.clock,
      onHolderChange: (id) => this.callback(() => opts.callbacks.onNewLeader?.(id)),
    });
  }

  /** Starts campaigning (once). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the campaign; a leader stops acting, then releases the lease. */
  async stop(): Promise<void> {
    this.campaign.abort();
    await this.loop;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder as last observed ('' when none). */
  getLeader(): string {
    return this.lock.holder();
  }

  private async run(): Promise<void> {
    const signal = this.campaign.signal;
    while (!signal.aborted) {
      if (await this.attempt()) {
        await this.lead();
        continue;
      }
      const delay = this.retryPeriodMs * (1 + RETRY_JITTER * (this.opts.random ?? Math.random)());
      await sleep(this.clock, delay, signal).catch(() => undefined);
    }
  }

  /** One acquire attempt; errors count as not acquired. */
  private async attempt(): Promise<boolean> {
    try {
      return (await this.withDeadline(this.renewDeadlineMs, (signal) => this.lock.tryAcquireOrRenew(signal))) === 'acquired';
    } catch (err) {
      if (!this.campaign.signal.aborted) this.report(err);
      return false;
    }
  }

  /** Acts as leader until renewing fails for renewDeadline or the campaign stops. */
  private async lead(): Promise<void> {
    if (this.campaign.signal.aborted) return this.release(); // stopped while acquiring
    this.leading = true;
    const term = new AbortController();
    const work = this.callback(() => this.opts.callbacks.onStartedLeading(term.signal));
    await this.renewUntilLost();
    this.leading = false;
    term.abort();
    await work;
    await this.callback(() => this.opts.callbacks.onStoppedLeading?.());
    if (this.campaign.signal.aborted) await this.release();
  }

  private async release(): Promise<void> {
    if (this.opts.releaseOnStop === false) return;
    await this.lock.release(AbortSignal.timeout(this.renewDeadlineMs)).catch((err: unknown) => this.report(err));
  }

  private async renewUntilLost(): Promise<void> {
    const signal = this.campaign.signal;
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      try {
        await sleep(this.clock, this.retryPeriodMs, signal);
      } catch {
        return;
      }
      let result: 'acquired' | 'held' | 'busy' | 'error';
      // A hanging request must not keep us leading past the deadline: bound it by what is left.
      const left = Math.max(1, lastRenew + this.renewDeadlineMs - this.clock.now());
      try {
        result = await this.withDeadline(left, (s) => this.lock.tryAcquireOrRenew(s));
      } catch (err) {
        if (signal.aborted) return;
        this.report(err);
        result = 'error';
      }
      if (result === 'acquired') lastRenew = this.clock.now();
      else if (result === 'held' || this.clock.now() - lastRenew >= this.renewDeadlineMs) return;
    }
  }

  /** Runs one request with a signal that aborts after `ms` (on our clock) or when the campaign stops. */
  private async withDeadline<R>(ms: number, fn: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const timeout = new AbortController();
    const timer = this.clock.setTimer(() => timeout.abort(new Error(`lease request took longer than ${ms} ms`)), ms);
    try {
      return await fn(AbortSignal.any([this.campaign.signal, timeout.signal]));
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  /** Runs a callback, reporting what it throws or rejects with; resolves when it settles. */
  private callback(fn: () => void | Promise<void>): Promise<void> {
    try {
      return Promise.resolve(fn()).catch((err: unknown) => this.report(err));
    } catch (err) {
      this.report(err);
      return Promise.resolve();
    }
  }

  private report(err: unknown): void {
    if (this.opts.onError) this.opts.onError(err);
    else console.error('leader election:', err);
  }
}
