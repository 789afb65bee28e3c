// Leader election between two electors over a real Lease on a real apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResource } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { LeaderElector } from '../../src/leaderelection/leader-elector.js';
import { startEnv, type Env } from './env.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

const LEASE_MS = 3_000;

function elector(name: string, identity: string, log: string[], releaseOnStop = true): LeaderElector {
  return new LeaderElector({
    client: env.client.resource(LeaseResource),
    namespace: 'default',
    name,
    identity,
    leaseDurationMs: LEASE_MS,
    renewDeadlineMs: 2_000,
    retryPeriodMs: 300,
    releaseOnStop,
    onError: () => {},
    callbacks: {
      onStartedLeading: () => {
        log.push(`${identity} started`);
      },
      onStoppedLeading: () => log.push(`${identity} stopped`),
    },
  });
}

describe('LeaderElector against the apiserver', () => {
  it.each([
    { name: 'released on stop: the standby takes over at once', release: true, withinMs: 1_500 },
    { name: 'not released (as after a crash): the standby takes over within the lease duration', release: false, withinMs: LEASE_MS + 1_000 },
  ])('$name', async ({ release, withinMs }) => {
    const lease = `lock-${release}`;
    const log: string[] = [];
    const a = elector(lease, 'a', log, release);
    const b = elector(lease, 'b', log, release);
    a.start();
    b.start();
    try {
      const first = await waitFor(() => (a.isLeader() ? a : b.isLeader() ? b : undefined), { message: 'a leader' });
      const second = first === a ? b : a;
      // For a while, exactly one leads and the lease names it.
      const until = Date.now() + 1_500;
      while (Date.now() < until) {
        expect(a.isLeader() && b.isLeader()).toBe(false);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(second.isLeader()).toBe(false);
      const stored = await env.client.resource(LeaseResource).get(lease, { namespace: 'default' });
      const leaderId = first === a ? 'a' : 'b';
      expect(stored.spec).toMatchObject({ holderIdentity: leaderId, leaseDurationSeconds: 3, leaseTransitions: 0 });

      const stoppedAt = Date.now();
      await first.stop();
      await waitFor(() => second.isLeader(), { timeoutMs: withinMs + 2_000, intervalMs: 10, message: 'hand-over' });
      expect(Date.now() - stoppedAt).toBeLessThan(withinMs);
      const otherId = leaderId === 'a' ? 'b' : 'a';
      expect(log).toEqual([`${leaderId} started`, `${leaderId} stopped`, `${otherId} started`]);
      const after = await env.client.resource(LeaseResource).get(lease, { namespace: 'default' });
      expect(after.spec).toMatchObject({ holderIdentity: otherId, leaseTransitions: 1 });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
