// Acceptance: two scheduler processes share one Lease. Only the leader binds; every pod is bound
// exactly once; after the leader is killed (SIGKILL, no release), the standby takes over once the
// lease expires. Each copy also serves /livez and its effective config at /configz. Needs the
// built scheduler (npm test and `turbo run build` build it first).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '@kite/api-types';
import { LeaseResource } from '@kite/api-types';
import { freePort, readConfigz, repoRoot, startApp, waitFor, waitHttpOk, type AppProcess, SCHEDULER } from '@kite/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNode, createPod, listPods, startCluster, waitAllBound, type Cluster } from '../helpers/cluster.js';

const LEASE_MS = 2_000;
const RETRY_MS = 100;
const LEASE = { namespace: 'kube-system', name: 'kite-scheduler' };

interface Copy {
  proc: AppProcess;
  port: number;
}

let c: Cluster;
const copies: Copy[] = [];

async function startCopy(): Promise<Copy> {
  const port = await freePort();
  const proc = startApp('scheduler', ['--kubeconfig', await c.api.kubeconfig(SCHEDULER), '--port', String(port), '--lease-duration', `${LEASE_MS}ms`, '--retry-period', `${RETRY_MS}ms`], { LOG_LEVEL: 'info' });
  await waitHttpOk(`http://127.0.0.1:${port}/readyz`, proc);
  return { proc, port };
}

async function metric(copy: Copy, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${copy.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : NaN;
}

const lease = (): Promise<Lease> => c.kube.resource(LeaseResource).get(LEASE.name, { namespace: LEASE.namespace });

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'apps', 'scheduler', 'dist', 'main.js'))) throw new Error('build first: npx turbo run build --filter=@kite/scheduler...');
  c = await startCluster();
  for (const name of ['n1', 'n2', 'n3']) await createNode(c, name, { cpu: '8', memory: '16Gi' });
  copies.push(await startCopy(), await startCopy());
});

afterAll(async () => {
  await Promise.all(copies.map((x) => x.proc.stop()));
  await c?.stop();
});

describe('a scheduler process serves', () => {
  it('/livez, and its effective configuration at /configz without credentials', async () => {
    const copy = copies[0] as Copy;
    const { config, body } = await readConfigz(`http://127.0.0.1:${copy.port}`, 'componentconfig');
    // The flags given, and the defaults worked out from them (renew deadline: 2/3 of the lease).
    expect(config).toMatchObject({
      schedulerName: 'default-scheduler',
      leaderElect: true,
      leaseDurationMs: LEASE_MS,
      renewDeadlineMs: Math.round((LEASE_MS * 2) / 3),
      retryPeriodMs: RETRY_MS,
      leaseNamespace: LEASE.namespace,
      leaseName: LEASE.name,
      port: copy.port,
      bindAddress: '127.0.0.1',
    });
    expect(Object.keys(config.apiserver as object)).toEqual(['server']);
    expect(body).not.toContain('-----BEGIN');
  });
});

describe('two schedulers, one lease', () => {
  let leader: Copy;
  let standby: Copy;

  it('exactly one leads and every pod is bound exactly once', async () => {
    const flags = await waitFor(async () => {
      const f = await Promise.all(copies.map((x) => metric(x, 'scheduler_is_leader{')));
      return f.filter((v) => v === 1).length === 1 ? f : undefined;
    });
    [leader, standby] = flags[0] === 1 ? [copies[0] as Copy, copies[1] as Copy] : [copies[1] as Copy, copies[0] as Copy];

    await Promise.all(Array.from({ length: 60 }, (_, i) => createPod(c, `a-${i}`, { cpu: '100m' })));
    await waitAllBound(c, 60);
    const scheduled = await waitFor(async () => {
      const [l, s] = await Promise.all([metric(leader, 'scheduler_schedule_attempts_total{result="scheduled"'), metric(standby, 'scheduler_schedule_attempts_total{result="scheduled"')]);
      return l === 60 ? { l, s } : undefined;
    });
    expect(scheduled.s).toBeNaN(); // the standby never scheduled anything (counter never created)
    // One Scheduled event per pod: nobody bound a pod twice (the apiserver would refuse anyway).
    const perPod = await waitFor(async () => {
      const counts = new Map<string, number>();
      for (const e of (await c.events.listAll({ namespace: 'default' })).items) {
        if (e.reason === 'Scheduled') counts.set(e.involvedObject.name ?? '', (counts.get(e.involvedObject.name ?? '') ?? 0) + (e.count ?? 1));
      }
      return counts.size === 60 ? counts : undefined;
    });
    expect([...perPod.values()].every((n) => n === 1)).toBe(true);
  });

  it('the standby takes over within the lease duration after the leader is killed', async () => {
    const before = (await lease()).spec?.holderIdentity;
    const killedAt = Date.now();
    await leader.proc.kill();
    const took = await waitFor(
      async () => ((await metric(standby, 'scheduler_is_leader{')) === 1 ? Date.now() - killedAt : undefined),
      { timeoutMs: 10_000, intervalMs: 25 },
    );
    const after = await lease();
    expect(after.spec?.holderIdentity).not.toBe(before);
    // Expiry is judged as client-go does: the lease has not changed for its duration, as the
    // standby observed it. So takeover comes a lease duration after the last renewal the standby
    // saw, plus up to a retry period (with jitter) — around LEASE_MS after the kill. The bound
    // leaves room for a busy machine's scheduling delays.
    expect(took).toBeLessThan(LEASE_MS * 1.5);
    console.info(`standby took over ${took} ms after the leader was killed (lease ${LEASE_MS} ms)`);

    await Promise.all(Array.from({ length: 20 }, (_, i) => createPod(c, `b-${i}`, { cpu: '100m' })));
    await waitAllBound(c, 80);
    // The scheduler counts a pod once its binding's answer arrives, which can be just after the
    // watch has shown the pod bound: wait for the count, then check it is not more.
    const scheduled = await waitFor(async () => {
      const n = await metric(standby, 'scheduler_schedule_attempts_total{result="scheduled"');
      return n >= 20 ? n : undefined;
    }, { timeoutMs: 5_000, message: 'the standby to count 20 scheduled pods' });
    expect(scheduled).toBe(20);
    const nodes = new Set((await listPods(c)).map((p) => p.spec?.nodeName));
    expect([...nodes].sort()).toEqual(['n1', 'n2', 'n3']);
  });
});
