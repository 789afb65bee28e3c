// LeaseLock: one attempt to take or renew a coordination.k8s.io/v1 Lease, and its release.
//
// Contract of `tryAcquireOrRenew()`:
// - No lease: create it with us as holder → 'acquired' (AlreadyExists → 'busy', someone raced us).
// - Held by us, or by nobody (released), or by someone whose lease has expired: update it with us
//   as holder and renewTime = now, sending the resourceVersion we read, so that of two candidates
//   racing for the same version exactly one wins; the loser gets 409 Conflict → 'busy'.
// - Held by someone else and not expired → 'held'.
// Expiry is judged by our own clock: a lease is expired when it has not changed for
// leaseDurationSeconds since we first saw its current state. Comparing against the holder's
// renewTime would need synchronised clocks; watching for change only needs a steady local one.
// (So a candidate that just started waits one full lease duration before taking over a lease whose
// holder vanished without releasing it.) Transport errors propagate as exceptions.
// `release()` clears holderIdentity (if we still hold the lease), letting another candidate take
// over at once instead of waiting for expiry.
import { isAlreadyExists, isConflict, isNotFound } from '@kite/apimachinery';
import type { Lease, LeaseSpec } from '@kite/api-types';
import type { Clock } from '../clock.js';
import type { NamespaceOption, WriteOptions } from '../resource-client.js';

/** What the lock needs of `kube.resource(LeaseResource)`. */
export interface LeaseClient {
  get(name: string, opts: NamespaceOption): Promise<Lease>;
  create(obj: Lease, opts?: WriteOptions): Promise<Lease>;
  update(obj: Lease, opts?: WriteOptions): Promise<Lease>;
}

export type AcquireResult = 'acquired' | 'held' | 'busy';

/** Read-and-clear attempts of `release()` when racing other writers (409 Conflict). */
const RELEASE_ATTEMPTS = 3;

export interface LeaseLockOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  clock: Clock;
  /** Called when the lease's holder changes to a (non-empty) identity, ours included. */
  onHolderChange?: (identity: string) => void;
}

/** RFC 3339 with microseconds, as Kubernetes' MicroTime is written: 2025-01-02T03:04:05.678000Z. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaseLock {
  private readonly opts: LeaseLockOptions;
  /** The lease as last read or written, and when (by our clock) its spec last changed. */
  private observed: Lease | undefined;
  private observedAt = 0;

  constructor(opts: LeaseLockOptions) {
    this.opts = opts;
  }

  /** The holder as last observed ('' when nobody holds it). */
  holder(): string {
    return this.observed?.spec?.holderIdentity ?? '';
  }

  async tryAcquireOrRenew(signal?: AbortSignal): Promise<AcquireResult> {
    const { client, namespace, name, identity } = this.opts;
    const now = this.opts.clock.now();
    const current = await client.get(name, { namespace, signal }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (current === undefined) return this.create(now, signal);
    this.observe(current, now);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (holder !== '' && holder !== identity && !this.expired(spec, now)) return 'held';
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: this.opts.leaseDurationSeconds,
      renewTime: microTime(now),
    };
    if (holder !== identity) {
      next.acquireTime = microTime(now);
      next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    return this.write({ ...current, spec: next }, now, signal);
  }

  /**
   * Gives the lease up if we hold it; returns whether it was released. Reads the lease afresh
   * rather than trusting the last observed copy: a renewal aborted by `stop()` may still have
   * been applied by the server, leaving our copy one resourceVersion behind.
   */
  async release(signal?: AbortSignal): Promise<boolean> {
    const { client, namespace, name, identity } = this.opts;
    for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
      const now = this.opts.clock.now();
      const current = await client.get(name, { namespace, signal }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (current?.spec?.holderIdentity !== identity) return false;
      const spec: LeaseSpec = { ...current.spec, leaseDurationSeconds: 1, renewTime: microTime(now) };
      delete spec.holderIdentity;
      try {
        this.observe(await client.update({ ...current, spec }, { signal }), now);
        return true;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    return false;
  }

  private async create(now: number, signal: AbortSignal | undefined): Promise<AcquireResult> {
    const { client, namespace, name, identity, leaseDurationSeconds } = this.opts;
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace },
      spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
    };
    try {
      this.observe(await client.create(lease, { signal }), now);
      return 'acquired';
    } catch (err) {
      if (isAlreadyExists(err)) return 'busy';
      throw err;
    }
  }

  private async write(lease: Lease, now: number, signal: AbortSignal | undefined): Promise<AcquireResult> {
    try {
      this.observe(await this.opts.client.update(lease, { signal }), now);
      return 'acquired';
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return 'busy';
      throw err;
    }
  }

  private expired(spec: LeaseSpec, now: number): boolean {
    const seconds = spec.leaseDurationSeconds ?? this.opts.leaseDurationSeconds;
    return this.observedAt + seconds * 1000 <= now;
  }

  private observe(lease: Lease, now: number): void {
    const before = this.observed?.spec;
    const after = lease.spec;
    if (JSON.stringify(before) !== JSON.stringify(after)) this.observedAt = now;
    this.observed = lease;
    const holder = after?.holderIdentity ?? '';
    if (holder !== '' && holder !== (before?.holderIdentity ?? '')) this.opts.onHolderChange?.(holder);
  }
}
