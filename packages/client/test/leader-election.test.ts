import { afterEach, describe, expect, it } from 'vitest';
import { alreadyExists, conflict, notFound } from '@kite/apimachinery';
import type { Lease, LeaseSpec } from '@kite/api-types';
import { FakeClock } from '../src/clock.js';
import { TransportError } from '../src/http/transport.js';
import { LeaderElector } from '../src/leaderelection/leader-elector.js';
import { LeaseLock, microTime, type LeaseClient } from '../src/leaderelection/lease-lock.js';

const leases = { group: 'coordination.k8s.io', plural: 'leases' };

/** One Lease in memory with resourceVersion checks, and a switch to make the "apiserver" fail. */
class FakeLeases implements LeaseClient {
  lease: Lease | undefined;
  rv = 0;
  down = false;
  writes = 0;

  async get(name: string): Promise<Lease> {
    this.check();
    if (!this.lease) throw notFound(leases, name);
    return structuredClone(this.lease);
  }

  async create(obj: Lease): Promise<Lease> {
    this.check();
    if (this.lease) throw alreadyExists(leases, obj.metadata.name ?? '');
    return this.store(obj);
  }

  async update(obj: Lease): Promise<Lease> {
    this.check();
    if (!this.lease) throw notFound(leases, obj.metadata.name ?? '');
    if (obj.metadata.resourceVersion !== this.lease.metadata.resourceVersion) throw conflict(leases, obj.metadata.name ?? '');
    return this.store(obj);
  }

  /** Sets the lease as another process would. */
  set(spec: LeaseSpec): void {
    this.store({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lock', namespace: 'kube-system' }, spec });
  }

  private store(obj: Lease): Lease {
    this.writes++;
    this.lease = structuredClone(obj);
    this.lease.metadata.resourceVersion = String(++this.rv);
    return structuredClone(this.lease);
  }

  private check(): void {
    if (this.down) throw new TransportError('connection refused');
  }
}

describe('LeaseLock.tryAcquireOrRenew', () => {
  const t0 = 1_700_000_000_000;
  it.each<{ name: string; initial?: LeaseSpec; waitMs: number; want: string; holder: string; transitions?: number }>([
    { name: 'no lease: create it', waitMs: 0, want: 'acquired', holder: 'me', transitions: 0 },
    { name: 'released lease: take it', initial: { leaseDurationSeconds: 10, leaseTransitions: 3 }, waitMs: 0, want: 'acquired', holder: 'me', transitions: 4 },
    { name: 'our own lease: renew it', initial: { holderIdentity: 'me', leaseDurationSeconds: 10, leaseTransitions: 2, acquireTime: microTime(t0) }, waitMs: 0, want: 'acquired', holder: 'me', transitions: 2 },
    { name: "another's fresh lease: held", initial: { holderIdentity: 'other', leaseDurationSeconds: 10, leaseTransitions: 1 }, waitMs: 9_999, want: 'held', holder: 'other', transitions: 1 },
    { name: "another's expired lease: take it", initial: { holderIdentity: 'other', leaseDurationSeconds: 10, leaseTransitions: 1 }, waitMs: 10_000, want: 'acquired', holder: 'me', transitions: 2 },
  ])('$name', async ({ initial, waitMs, want, holder, transitions }) => {
    const api = new FakeLeases();
    const clock = new FakeClock({ start: t0 });
    if (initial) api.set(initial);
    const lock = new LeaseLock({ client: api, namespace: 'kube-system', name: 'lock', identity: 'me', leaseDurationSeconds: 15, clock });
    if (initial && waitMs > 0) {
      // First sighting starts the expiry clock; the lease then stays unchanged for waitMs.
      expect(await lock.tryAcquireOrRenew()).toBe(initial.holderIdentity && initial.holderIdentity !== 'me' ? 'held' : 'acquired');
      await clock.advance(waitMs);
    }
    expect(await lock.tryAcquireOrRenew()).toBe(want);
    expect(api.lease?.spec?.holderIdentity ?? '').toBe(holder);
    if (transitions !== undefined) expect(api.lease?.spec?.leaseTransitions).toBe(transitions);
    if (want === 'acquired') expect(api.lease?.spec?.renewTime).toBe(microTime(clock.now()));
  });

  it('keeps acquireTime on renewal and sets it on takeover', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock({ start: t0 });
    const lock = new LeaseLock({ client: api, namespace: 'kube-system', name: 'lock', identity: 'me', leaseDurationSeconds: 15, clock });
    await lock.tryAcquireOrRenew();
    await clock.advance(2000);
    await lock.tryAcquireOrRenew();
    expect([api.lease?.spec?.acquireTime, api.lease?.spec?.renewTime]).toEqual([microTime(t0), microTime(t0 + 2000)]);
    expect(microTime(t0)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('loses a race for the same resourceVersion with 409: busy', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    api.set({ leaseDurationSeconds: 10 });
    const realGet = api.get.bind(api);
    api.get = async (name) => {
      const l = await realGet(name);
      api.set({ holderIdentity: 'racer', leaseDurationSeconds: 10 }); // written between our read and write
      return l;
    };
    const lock = new LeaseLock({ client: api, namespace: 'kube-system', name: 'lock', identity: 'me', leaseDurationSeconds: 15, clock });
    expect(await lock.tryAcquireOrRenew()).toBe('busy');
    expect(api.lease?.spec?.holderIdentity).toBe('racer');
  });

  it('release clears the holder only if we hold the lease', async () => {
    const api = new FakeLeases();
    const lock = new LeaseLock({ client: api, namespace: 'kube-system', name: 'lock', identity: 'me', leaseDurationSeconds: 15, clock: new FakeClock() });
    expect(await lock.release()).toBe(false);
    await lock.tryAcquireOrRenew();
    expect(await lock.release()).toBe(true);
    expect(api.lease?.spec?.holderIdentity).toBeUndefined();
    expect(lock.holder()).toBe('');
  });

  it('release works even when our last renewal was applied but its answer was lost', async () => {
    const api = new FakeLeases();
    const lock = new LeaseLock({ client: api, namespace: 'kube-system', name: 'lock', identity: 'me', leaseDurationSeconds: 15, clock: new FakeClock() });
    await lock.tryAcquireOrRenew();
    api.set({ ...api.lease?.spec, holderIdentity: 'me', renewTime: microTime(1) }); // a newer resourceVersion we never saw
    expect(await lock.release()).toBe(true);
    expect(api.lease?.spec?.holderIdentity).toBeUndefined();
  });
});

describe('LeaderElector', () => {
  const electors: LeaderElector[] = [];
  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
  });

  function elector(api: FakeLeases, clock: FakeClock, identity: string, log: string[]): LeaderElector {
    const e = new LeaderElector({
      client: api,
      namespace: 'kube-system',
      name: 'lock',
      identity,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      clock,
      random: () => 0,
      onError: () => {},
      callbacks: {
        onStartedLeading: (signal) => {
          log.push(`${identity} started`);
          signal.addEventListener('abort', () => log.push(`${identity} signal aborted`));
        },
        onStoppedLeading: () => log.push(`${identity} stopped`),
        onNewLeader: (id) => log.push(`${identity} sees ${id}`),
      },
    });
    electors.push(e);
    return e;
  }

  it('one of two candidates leads; stopping it hands over within one retry period', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    const b = elector(api, clock, 'b', log);
    a.start();
    await clock.advance(0);
    b.start();
    await clock.advance(0);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(log).toEqual(['a sees a', 'a started', 'b sees a']);
    await clock.advance(20_000); // a renews throughout; b never takes over
    expect([a.isLeader(), b.isLeader(), api.lease?.spec?.holderIdentity]).toEqual([true, false, 'a']);
    log.length = 0;
    const stopped = a.stop();
    await clock.advance(0);
    await stopped;
    expect(log).toEqual(['a signal aborted', 'a stopped']);
    expect(api.lease?.spec?.holderIdentity).toBeUndefined();
    await clock.advance(2_000);
    expect(b.isLeader()).toBe(true);
    expect(log).toEqual(['a signal aborted', 'a stopped', 'b sees b', 'b started']);
    expect(api.lease?.spec?.leaseTransitions).toBe(1);
  });

  it('a leader that cannot renew steps down after renewDeadline, before the lease expires', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advance(0);
    expect(a.isLeader()).toBe(true);
    api.down = true;
    await clock.advance(9_999);
    expect(a.isLeader()).toBe(true);
    await clock.advance(2_001); // the first failed renewal at or past the deadline ends leadership
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a sees a', 'a started', 'a signal aborted', 'a stopped']);
    api.down = false;
    await clock.advance(2_000); // campaigning again: its own lease, so it takes it back at once
    expect(a.isLeader()).toBe(true);
  });

  it('a standby takes over a crashed leader only after the lease duration without renewals', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    const log: string[] = [];
    const b = elector(api, clock, 'b', log);
    api.set({ holderIdentity: 'crashed', leaseDurationSeconds: 15, leaseTransitions: 0 });
    b.start();
    await clock.advance(14_000);
    expect(b.isLeader()).toBe(false);
    await clock.advance(2_000);
    expect(b.isLeader()).toBe(true);
    expect(log).toEqual(['b sees crashed', 'b sees b', 'b started']);
  });

  it('steps down at once when another holder shows up', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advance(0);
    api.set({ holderIdentity: 'usurper', leaseDurationSeconds: 15 });
    await clock.advance(2_000);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a sees a', 'a started', 'a sees usurper', 'a signal aborted', 'a stopped']);
  });

  it('stop waits for the work started by onStartedLeading before releasing', async () => {
    const api = new FakeLeases();
    const clock = new FakeClock();
    const order: string[] = [];
    const e = new LeaderElector({
      client: api,
      namespace: 'kube-system',
      name: 'lock',
      identity: 'a',
      clock,
      callbacks: {
        onStartedLeading: (signal) =>
          new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => setImmediate(() => {
              order.push(`work done, holder=${api.lease?.spec?.holderIdentity}`);
              resolve();
            })),
          ),
      },
    });
    e.start();
    await clock.advance(0);
    await e.stop();
    order.push(`released, holder=${api.lease?.spec?.holderIdentity}`);
    expect(order).toEqual(['work done, holder=a', 'released, holder=undefined']);
  });

  it.each([
    { name: 'renewDeadline ≥ leaseDuration', opts: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 } },
    { name: 'retryPeriod ≥ renewDeadline', opts: { renewDeadlineMs: 2_000, retryPeriodMs: 2_000 } },
  ])('rejects $name', ({ opts }) => {
    expect(() => new LeaderElector({ client: new FakeLeases(), namespace: 'n', name: 'l', identity: 'a', callbacks: { onStartedLeading: () => {} }, ...opts })).toThrow();
  });
});
