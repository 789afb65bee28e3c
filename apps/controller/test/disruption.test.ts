// PodDisruptionBudget acceptance, all real parts: redis-server, the apiserver over TLS, the
// scheduler, the controller manager (replicaset, deployment, disruption), two real kubelets
// running examples/wasm-pods hello-http as Wasm pods, and the real kubectl (`create pdb`, `get pdb`,
// `drain`).
//
// The Deployment's 3 pods start on node A (node B cordoned), under a budget of minAvailable 2:
// one eviction is allowed, the next is 429 until the replacement is Ready. `kubectl drain A`
// (B schedulable again) evicts A's pods one at a time, retrying the 429s; with the budget at
// maxUnavailable 0, `kubectl drain B` can never evict and fails at its timeout showing the 429.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, NodeResource, PodDisruptionBudgetResource, PodResource, type Deployment, type Pod, type PodDisruptionBudget, type Status } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { repoRoot, waitFor } from '@kite/testing';
import { parse } from 'yaml';
import { kubectl } from './helpers/kubectl.js';
import { startWasmNodesCluster, type WasmNodesCluster } from './helpers/wasm-nodes-cluster.js';

/** Node A 127.1.120.1 (pods 127.64.120.0/24), node B 127.1.121.1 (127.64.121.0/24): this file's subnets. */
const SUBNETS = [120, 121];
const NS = 'default';
const APP = 'web';
const PDB = 'web-pdb';
const REPLICAS = 3;
const READY_TIMEOUT_MS = 45_000;
const STATUS_TIMEOUT_MS = 20_000;
/** kubectl drain retries a 429 every 5 s: three evictions on a loaded machine fit well within this. */
const DRAIN_OK_TIMEOUT = '75s';
const DRAIN_BLOCKED_TIMEOUT = '8s';
const BLOCKED = "Cannot evict pod as it would violate the pod's disruption budget.";

let c: WasmNodesCluster;
let nodeA: string;
let nodeB: string;

const pods = () => c.client.resource(PodResource);
const pdbs = () => c.client.resource(PodDisruptionBudgetResource);
const isReady = (p: Pod) => !p.metadata.deletionTimestamp && (p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false);

async function webPods(): Promise<Pod[]> {
  return (await pods().list({ namespace: NS, labelSelector: `app=${APP}` })).items;
}

async function readyOn(node?: string): Promise<Pod[]> {
  return (await webPods()).filter((p) => isReady(p) && (node === undefined || p.spec?.nodeName === node));
}

/** Waits for the budget's status to satisfy `ok` (and to be observed at its generation). */
async function budgetWhere(ok: (pdb: PodDisruptionBudget) => boolean, message: string): Promise<PodDisruptionBudget> {
  let last: PodDisruptionBudget | undefined;
  return waitFor(
    async () => {
      last = await pdbs().get(PDB, { namespace: NS });
      return last.status?.observedGeneration === last.metadata.generation && ok(last) ? last : undefined;
    },
    { timeoutMs: STATUS_TIMEOUT_MS, message },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; last generation ${String(last?.metadata.generation)}, status ${JSON.stringify(last?.status)}`);
  });
}

/** POSTs an Eviction; answers the Status (success or refusal). */
async function evict(name: string, body: Record<string, unknown> = {}): Promise<Status> {
  const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS }, ...body };
  try {
    return (await c.client.raw('POST', `/api/v1/namespaces/${NS}/pods/${name}/eviction`, eviction)) as Status;
  } catch (err) {
    if (isApiError(err)) return err.status;
    throw err;
  }
}

async function setUnschedulable(node: string, unschedulable: boolean): Promise<void> {
  await c.client.resource(NodeResource).patch(node, { spec: { unschedulable } }, { type: 'merge' });
}

async function setBudget(spec: PodDisruptionBudget['spec']): Promise<void> {
  const current = await pdbs().get(PDB, { namespace: NS });
  await pdbs().update({ ...current, spec: { selector: { matchLabels: { app: APP } }, ...spec } });
}

beforeAll(async () => {
  c = await startWasmNodesCluster({ subnets: SUBNETS, controllers: 'replicaset,deployment,disruption' });
  [nodeA, nodeB] = c.nodeNames as [string, string];
  await setUnschedulable(nodeB, true);
  const d = parse(await readFile(join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'deployment.yaml'), 'utf8')) as Deployment;
  const labels = { app: APP };
  const template = d.spec?.template;
  await c.client.resource(DeploymentResource).create({
    ...d,
    metadata: { name: APP, namespace: NS, labels },
    spec: { ...d.spec, replicas: REPLICAS, selector: { matchLabels: labels }, template: { ...template, metadata: { labels }, spec: { ...template?.spec, containers: template?.spec?.containers ?? [], terminationGracePeriodSeconds: 1 } } },
  } as Deployment);
  const created = await kubectl(c.apiserver, ['create', 'pdb', PDB, '-n', NS, `--selector=app=${APP}`, '--min-available=2']);
  if (created.code !== 0) throw new Error(`kubectl create pdb: ${created.stderr}`);
  await waitFor(async () => (await readyOn(nodeA)).length === REPLICAS, { timeoutMs: READY_TIMEOUT_MS, message: `${REPLICAS} ready web pods on ${nodeA}` });
}, 120_000);

afterAll(async () => {
  await c?.stop();
});

describe('PodDisruptionBudget and the eviction subresource', () => {
  it('computes the budget: minAvailable 2 of 3 Ready pods allows 1 disruption', async () => {
    const pdb = await budgetWhere((p) => p.status?.currentHealthy === REPLICAS, 'web-pdb counts 3 healthy pods');
    expect(pdb.status).toMatchObject({ expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(pdb.status?.conditions?.find((x) => x.type === 'DisruptionAllowed')).toMatchObject({ status: 'True', reason: 'SufficientPods' });
    const table = await kubectl(c.apiserver, ['get', 'pdb', '-n', NS]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE/);
    expect(table.stdout).toMatch(/web-pdb\s+2\s+N\/A\s+1\s+/);
  });

  it('evicts within the budget, answers 429 beyond it, and allows again once the replacement is Ready', async () => {
    const [first, second] = await readyOn();
    if (!first || !second) throw new Error('expected ready pods');
    const ok = await evict(first.metadata.name ?? '');
    expect(ok).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const blocked = await evict(second.metadata.name ?? '');
    expect(blocked).toMatchObject({ code: 429, reason: 'TooManyRequests', message: BLOCKED });
    expect(blocked.details?.causes?.[0]).toMatchObject({ reason: 'DisruptionBudget' });
    // The evicted pod was marked, then deleted; the budget remembers it until it is gone.
    await waitFor(async () => !(await webPods()).some((p) => p.metadata.uid === first.metadata.uid && !p.metadata.deletionTimestamp), { timeoutMs: STATUS_TIMEOUT_MS, message: 'first pod deleted' });
    await waitFor(async () => (await readyOn()).length === REPLICAS, { timeoutMs: READY_TIMEOUT_MS, message: 'replacement Ready' });
    await budgetWhere((p) => p.status?.disruptionsAllowed === 1, 'allowed again after the replacement');
    // The Eviction's delete options apply to the delete (a precondition on the pod's uid, a grace period).
    const withOptions = { deleteOptions: { preconditions: { uid: second.metadata.uid }, gracePeriodSeconds: 1 } };
    expect(await evict(second.metadata.name ?? '', withOptions)).toMatchObject({ status: 'Success', code: 201 });
    await waitFor(async () => (await readyOn()).length === REPLICAS && (await webPods()).every((p) => p.metadata.uid !== second.metadata.uid), { timeoutMs: READY_TIMEOUT_MS, message: 'second replacement Ready' });
  }, 90_000);

  it('refuses what Kubernetes refuses: missing pods, a name mismatch, invalid delete options, two budgets', async () => {
    expect(await evict('no-such-pod')).toMatchObject({ code: 404, reason: 'NotFound' });
    const [pod] = await readyOn();
    const name = pod?.metadata.name ?? '';
    const mismatch = await c.client.raw('POST', `/api/v1/namespaces/${NS}/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } }).catch((e: unknown) => (isApiError(e) ? e.status : e));
    expect(mismatch).toMatchObject({ code: 400, message: 'name in URL does not match name in Eviction object' });
    expect(await evict(name, { deleteOptions: { gracePeriodSeconds: -1 } })).toMatchObject({ code: 422, reason: 'Invalid' });
    await pdbs().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'second', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: APP } } } });
    const two = await evict(name);
    expect(two).toMatchObject({ code: 500, message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' });
    await pdbs().delete('second', { namespace: NS });
    expect((await readyOn()).length).toBe(REPLICAS);
  });

  it('422s bad budgets', async () => {
    const create = (spec: Record<string, unknown>) =>
      pdbs()
        .create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'bad', namespace: NS }, spec } as PodDisruptionBudget)
        .then(() => undefined, (e: unknown) => (isApiError(e) ? e.status : e) as Status);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ minAvailable: 1, maxUnavailable: 1 }, 'spec'],
      [{ minAvailable: 'ten%' }, 'spec.minAvailable'],
      [{ maxUnavailable: '150%' }, 'spec.maxUnavailable'],
      [{ minAvailable: -1 }, 'spec.minAvailable'],
      [{ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'Sometimes' }, 'spec.unhealthyPodEvictionPolicy'],
    ];
    for (const [spec, field] of cases) {
      const status = await create(spec);
      expect(status, JSON.stringify(spec)).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(status?.details?.causes?.map((x) => x.field)).toContain(field);
    }
  });

  it('reads maxUnavailable as a percentage of the controllers\u2019 scale, rounded up', async () => {
    await setBudget({ maxUnavailable: '50%' });
    const pdb = await budgetWhere((p) => p.status?.disruptionsAllowed === 2, 'maxUnavailable 50% of 3 allows 2');
    expect(pdb.status).toMatchObject({ expectedPods: 3, desiredHealthy: 1, currentHealthy: 3 });
    await setBudget({ minAvailable: 2 });
    await budgetWhere((p) => p.status?.disruptionsAllowed === 1 && p.status.desiredHealthy === 2, 'back to minAvailable 2');
  });

  it('kubectl drain cordons the node and evicts its pods within the budget', async () => {
    await setUnschedulable(nodeB, false);
    const res = await kubectl(c.apiserver, ['drain', nodeA, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${DRAIN_OK_TIMEOUT}`], 100_000);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`node/${nodeA} cordoned`);
    expect(res.stdout).toMatch(/evicted/);
    // The budget held kubectl back at least once: one pod down at a time.
    expect(res.stderr).toContain(BLOCKED);
    expect((await c.client.resource(NodeResource).get(nodeA)).spec?.unschedulable).toBe(true);
    expect((await webPods()).filter((p) => p.spec?.nodeName === nodeA && !p.metadata.deletionTimestamp)).toEqual([]);
    await waitFor(async () => (await readyOn(nodeB)).length === REPLICAS, { timeoutMs: READY_TIMEOUT_MS, message: `all web pods Ready on ${nodeB}` });
  }, 120_000);

  it('kubectl drain fails at its timeout when the budget can never allow an eviction', async () => {
    await setBudget({ maxUnavailable: 0 });
    await budgetWhere((p) => p.status?.disruptionsAllowed === 0 && p.status.desiredHealthy === REPLICAS, 'maxUnavailable 0 allows none');
    const res = await kubectl(c.apiserver, ['drain', nodeB, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${DRAIN_BLOCKED_TIMEOUT}`], 60_000);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(BLOCKED);
    expect(res.stderr).toMatch(/global timeout reached/);
    expect((await c.client.resource(NodeResource).get(nodeB)).spec?.unschedulable).toBe(true);
    expect((await readyOn(nodeB)).length).toBe(REPLICAS);
    const pdb = await pdbs().get(PDB, { namespace: NS });
    expect(pdb.status?.conditions?.find((x) => x.type === 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  }, 90_000);
});
