// The controller manager as a real process (apps/controller/dist/main.js): killed with SIGKILL in
// the middle of a rollout and started again, the rollout completes correctly; with two copies
// under leader election only one acts, and the other takes over when the leader dies; it serves
// /livez and its effective configuration at /configz.
// Needs a build: `npx turbo run build --filter=@kite/controller...` (done here if missing).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, LeaseResource, ReplicaSetResource, REVISION_ANNOTATION, type Deployment } from '@kite/api-types';
import { freePort, readConfigz, repoRoot, startApp, waitFor, waitHttpOk, type AppProcess, CONTROLLER_MANAGER } from '@kite/testing';
import { LEADER_LEASE_NAME, LEADER_LEASE_NAMESPACE } from '../src/manager/config.js';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';
import { activePods, isReady, PodWatch } from './helpers/watch.js';

const REPLICAS = 20;
/** Short leader election so a successor does not wait 15 s for a killed leader's lease. */
const LEADER_FLAGS = ['--leader-elect', '--leader-elect-lease-duration', '2s', '--leader-elect-renew-deadline', '1500ms', '--leader-elect-retry-period', '300ms'];

let c: TestCluster;
const procs: AppProcess[] = [];

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'apps', 'controller', 'dist', 'main.js'))) {
    execFileSync('npx', ['turbo', 'run', 'build', '--filter=@kite/controller...'], { cwd: repoRoot, stdio: 'ignore', timeout: 180_000 });
  }
  // Pods take 30 ms to become ready, so a 20-replica one-at-a-time rollout lasts long enough to interrupt.
  c = await startCluster({ nodes: 3, manager: false, hollow: { readyDelayMs: 30 } });
}, 240_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  await c?.stop();
});

async function startManager(extra: string[] = []): Promise<AppProcess & { port: number }> {
  const port = await freePort();
  const p = startApp('controller', ['--kubeconfig', await c.apiserver.kubeconfig(CONTROLLER_MANAGER), '--port', String(port), ...extra], { LOG_LEVEL: 'warn' });
  procs.push(p);
  await waitHttpOk(`http://127.0.0.1:${port}/healthz`, p);
  return Object.assign(p, { port });
}

const getDeployment = (ns: string) => c.client.resource(DeploymentResource).get('web', { namespace: ns });
const complete = (d: Deployment) => d.status?.updatedReplicas === REPLICAS && d.status.replicas === REPLICAS && d.status.availableReplicas === REPLICAS && (d.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);

describe('controller manager process', () => {
  it('killed mid-rollout and started again, completes the rollout without breaking its budget', async () => {
    const ns = 'restart';
    await createNamespace(c.client, ns);
    let manager = await startManager();
    await c.client.resource(DeploymentResource).create(deployment(ns, 'web', { replicas: REPLICAS, maxSurge: 1, maxUnavailable: 0 }));
    await waitFor(async () => complete(await getDeployment(ns)), { timeoutMs: 20_000 });
    const violations: string[] = [];
    const watch = new PodWatch(c.client, ns, (pods) => {
      const active = activePods(pods);
      if (active.length > REPLICAS + 1) violations.push(`${active.length} pods`);
      if (active.filter(isReady).length < REPLICAS) violations.push(`${active.filter(isReady).length} ready`);
    });
    await watch.start();
    await c.client.resource(DeploymentResource).patch('web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'v2.wasm' }] } } } }, { type: 'strategic', namespace: ns });
    const mid = await waitFor(async () => {
      const d = await getDeployment(ns);
      const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
      return observed && (d.status?.updatedReplicas ?? 0) >= 3 ? d : undefined;
    }, { timeoutMs: 20_000 });
    await manager.kill();
    expect(mid.status?.updatedReplicas).toBeLessThan(REPLICAS);
    manager = await startManager();
    const done = await waitFor(async () => {
      const d = await getDeployment(ns);
      return complete(d) ? d : undefined;
    }, { timeoutMs: 30_000 });
    await watch.stop();
    expect(violations).toEqual([]);
    expect(done.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    // Exactly one new pod per replica: the restarted manager neither duplicated nor lost any.
    expect(watch.added.size).toBe(REPLICAS);
    const rss = (await c.client.resource(ReplicaSetResource).list({ namespace: ns })).items;
    expect(rss.map((rs) => rs.spec?.replicas).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([0, REPLICAS]);
    await manager.stop();
  });

  it('with two copies under leader election, one leads and the other takes over when it dies', async () => {
    const ns = 'leader';
    await createNamespace(c.client, ns);
    const a = await startManager(LEADER_FLAGS);
    const leases = c.client.resource(LeaseResource);
    const first = await waitFor(async () => (await leases.get(LEADER_LEASE_NAME, { namespace: LEADER_LEASE_NAMESPACE }).catch(() => undefined))?.spec?.holderIdentity);
    const b = await startManager(LEADER_FLAGS);
    await c.client.resource(DeploymentResource).create(deployment(ns, 'web', { replicas: 2 }));
    await waitFor(async () => (await getDeployment(ns)).status?.availableReplicas === 2, { timeoutMs: 20_000 });
    expect((await leases.get(LEADER_LEASE_NAME, { namespace: LEADER_LEASE_NAMESPACE })).spec?.holderIdentity).toBe(first);
    await a.kill();
    const second = await waitFor(async () => {
      const holder = (await leases.get(LEADER_LEASE_NAME, { namespace: LEADER_LEASE_NAMESPACE })).spec?.holderIdentity;
      return holder && holder !== first ? holder : undefined;
    }, { timeoutMs: 15_000 });
    expect(second).toBeTruthy();
    await c.client.resource(DeploymentResource).patchScale('web', { spec: { replicas: 4 } }, { type: 'merge', namespace: ns });
    await waitFor(async () => (await getDeployment(ns)).status?.availableReplicas === 4, { timeoutMs: 20_000 });
    const metrics = await (await fetch(`http://127.0.0.1:${b.port}/metrics`)).text();
    expect(metrics).toContain('controller_syncs_total');
    expect(metrics.split('\n').some((l) => l.startsWith('controller_workqueue_depth{') && l.includes('controller="deployment"'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${b.port}/readyz`)).status).toBe(200);
    await b.stop();
  });

  it('serves /livez, and its effective configuration at /configz without credentials or the CA', async () => {
    const m = await startManager(['--controllers', 'deployment,replicaset', '--node-monitor-grace-period', '20s', '--root-ca-file', c.apiserver.pki.files.caCert]);
    const base = `http://127.0.0.1:${m.port}`;
    const { config, body } = await readConfigz(base, 'kubecontrollermanager.config.k8s.io');
    expect(config).toMatchObject({ controllers: ['replicaset', 'deployment'], nodeMonitorGracePeriodMs: 20_000, leaderElect: false, port: m.port, bindAddress: '127.0.0.1' });
    expect(Object.keys(config.apiserver as object)).toEqual(['server']);
    expect(config).not.toHaveProperty('rootCA');
    expect(body).not.toContain('-----BEGIN');
    expect((await fetch(`${base}/configz`, { method: 'POST' })).status).toBe(405);
    await m.stop();
  });
});
