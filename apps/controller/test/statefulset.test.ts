// StatefulSet acceptance, all real parts: redis-server, the apiserver over TLS, the scheduler, the
// controller manager in-process (statefulset, the PV binder with the local-path provisioner, claim
// protection, endpointslice, garbage collector), two real kubelets running examples/wasm-pods as
// Wasm pods, the cluster DNS process, and the real kubectl (`rollout status|history|undo`, `scale`).
//
// Each pod of the set `web` runs an init container (the batch example with `--append`) that prints
// what earlier pods of its ordinal left on its claim and adds its own name, then hello-http.
// Subnets 140 and 141 (nodes), DNS on 127.1.140.53.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ControllerRevisionResource,
  PersistentVolumeClaimResource,
  PersistentVolumeResource,
  PodResource,
  ServiceResource,
  StatefulSetResource,
  type Pod,
  type Service,
  type StatefulSet,
} from '@kite/api-types';
import { isApiError, isNotFound } from '@kite/apimachinery';
import { KUBE_DNS, freePort, startScript, repoRoot, waitFor, waitHttpOk, type AppProcess } from '@kite/testing';
import { parseAllDocuments } from 'yaml';
import { kubectl } from './helpers/kubectl.js';
import { startWasmNodesCluster, type WasmNodesCluster } from './helpers/wasm-nodes-cluster.js';

const SUBNETS = [140, 141];
const NS = 'default';
const DNS_ADDRESS = '127.1.140.53';
const READY_TIMEOUT_MS = 60_000;
const CONTROLLERS = 'statefulset,persistentvolume-binder,pvc-protection,pv-protection,endpointslice,garbagecollector';
const localPathRoot = mkdtempSync(join(tmpdir(), 'kite-sts-local-path-'));

let c: WasmNodesCluster;
let dns: AppProcess & { port: number };

const sets = () => c.client.resource(StatefulSetResource);
const pods = () => c.client.resource(PodResource);
const claims = () => c.client.resource(PersistentVolumeClaimResource);
const isReady = (p: Pod) => !p.metadata.deletionTimestamp && (p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false);

/** The example manifest (examples/wasm-pods/hello-http/statefulset.yaml): the Service and the set. */
async function manifest(): Promise<{ service: Service; set: StatefulSet }> {
  const docs = parseAllDocuments(await readFile(join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'statefulset.yaml'), 'utf8')).map((d) => d.toJSON() as { kind: string });
  const service = docs.find((d) => d.kind === 'Service') as Service;
  const set = docs.find((d) => d.kind === 'StatefulSet') as StatefulSet;
  return { service: { ...service, metadata: { ...service.metadata, namespace: NS } }, set: { ...set, metadata: { ...set.metadata, namespace: NS } } };
}

async function webPods(): Promise<Pod[]> {
  return (await pods().list({ namespace: NS, labelSelector: 'app=web' })).items;
}

/** Polls until the set's pods are exactly `names`, all Ready; records when each first appeared and first was Ready. */
async function readyExactly(names: string[], seen?: { appeared: Map<string, number>; ready: Map<string, number> }): Promise<Pod[]> {
  return waitFor(
    async () => {
      const list = await webPods();
      const now = Date.now();
      for (const p of list) {
        const n = p.metadata.name ?? '';
        if (seen && !seen.appeared.has(n)) seen.appeared.set(n, now);
        if (seen && isReady(p) && !seen.ready.has(n)) seen.ready.set(n, now);
      }
      const live = list.filter((p) => !p.metadata.deletionTimestamp);
      const ok = live.length === names.length && names.every((n) => live.some((p) => p.metadata.name === n && isReady(p))) && list.length === names.length;
      return ok ? list.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')) : undefined;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50, message: `web pods exactly ${names.join(',')} and Ready` },
  );
}

async function setStatus(ok: (s: StatefulSet) => boolean, message: string): Promise<StatefulSet> {
  return waitFor(async () => {
    const s = await sets().get('web', { namespace: NS });
    return s.status?.observedGeneration === s.metadata.generation && ok(s) ? s : undefined;
  }, { timeoutMs: READY_TIMEOUT_MS, message });
}

beforeAll(async () => {
  c = await startWasmNodesCluster({ subnets: SUBNETS, controllers: CONTROLLERS, manager: { localPathRoot } });
  const port = await freePort(DNS_ADDRESS);
  const healthPort = await freePort(DNS_ADDRESS);
  const dnsMain = join(repoRoot, 'apps', 'proxy', 'dist', 'dns-main.js');
  const proc = startScript(dnsMain, ['--kubeconfig', await c.apiserver.kubeconfig(KUBE_DNS), '--dns-address', DNS_ADDRESS, '--dns-port', String(port), '--port', String(healthPort)]);
  dns = Object.assign(proc, { port });
  await waitHttpOk(`http://${DNS_ADDRESS}:${healthPort}/readyz`, proc);
  await c.client.resource(ServiceResource).create((await manifest()).service);
}, 120_000);

afterAll(async () => {
  await dns?.stop();
  await c?.stop();
  rmSync(localPathRoot, { recursive: true, force: true });
});

describe('StatefulSet', () => {
  let first: Pod[];

  it('brings web-0, web-1, web-2 up in order, each on its own Bound claim', async () => {
    await sets().create((await manifest()).set);
    const seen = { appeared: new Map<string, number>(), ready: new Map<string, number>() };
    first = await readyExactly(['web-0', 'web-1', 'web-2'], seen);
    // OrderedReady: web-N+1 is created only after web-N is Ready.
    for (const [lower, higher] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
      expect(seen.appeared.get(higher) ?? 0, `${higher} appeared after ${lower} was Ready`).toBeGreaterThanOrEqual(seen.ready.get(lower) ?? Infinity);
    }
    for (const p of first) {
      const name = p.metadata.name ?? '';
      expect(p.spec).toMatchObject({ hostname: name, subdomain: 'web' });
      expect(p.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': name.slice(4) });
      const claim = await claims().get(`data-${name}`, { namespace: NS });
      expect(claim.status?.phase).toBe('Bound');
      const pv = await c.client.resource(PersistentVolumeResource).get(claim.spec?.volumeName ?? '');
      expect(pv.spec?.claimRef?.name).toBe(`data-${name}`);
      expect(await c.client.podLogs(NS, name, { container: 'history' })).not.toContain('seen:');
    }
    const s = await setStatus((x) => x.status?.readyReplicas === 3, 'status counts 3 ready');
    const table = await kubectl(c.apiserver, ['get', 'statefulsets', '-n', NS]);
    expect(table.stdout).toMatch(/^NAME\s+READY\s+AGE\s*\nweb\s+3\/3\s+/);
    expect(s.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(s.status?.currentRevision).toBe(s.status?.updateRevision);
  }, 90_000);

  it('answers web-0.web.NS.svc.cluster.local with that pod\u2019s IP through the cluster DNS', async () => {
    const resolver = new Resolver();
    resolver.setServers([`${DNS_ADDRESS}:${dns.port}`]);
    const web0 = first.find((p) => p.metadata.name === 'web-0');
    const addresses = await waitFor(async () => {
      const got = await resolver.resolve4(`web-0.web.${NS}.svc.cluster.local`).catch(() => []);
      return got.length > 0 ? got : undefined;
    }, { timeoutMs: 20_000, message: 'web-0 resolves' });
    expect(addresses).toEqual([web0?.status?.podIP]);
  });

  it('re-creates a deleted web-1 as web-1 on the same claim, which still holds what it wrote', async () => {
    const old = first.find((p) => p.metadata.name === 'web-1');
    const claimUid = (await claims().get('data-web-1', { namespace: NS })).metadata.uid;
    await pods().delete('web-1', { namespace: NS });
    const again = await waitFor(async () => {
      const p = await pods().get('web-1', { namespace: NS }).catch(() => undefined);
      return p && p.metadata.uid !== old?.metadata.uid && isReady(p) ? p : undefined;
    }, { timeoutMs: READY_TIMEOUT_MS, message: 'a new web-1 Ready' });
    expect(again.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe('data-web-1');
    expect((await claims().get('data-web-1', { namespace: NS })).metadata.uid).toBe(claimUid);
    const log = await c.client.podLogs(NS, 'web-1', { container: 'history' });
    expect(log).toContain('seen: web-1');
    expect(log).toContain('config: web-1\nconfig: web-1');
  }, 90_000);

  it('rolls a template change out from the highest ordinal down; kubectl rollout status, history and undo work on it', async () => {
    const before = await sets().get('web', { namespace: NS });
    const oldRevision = before.status?.currentRevision ?? '';
    await sets().patch('web', { spec: { template: { metadata: { annotations: { 'example.com/rev': '2' } } } } }, { type: 'merge', namespace: NS });
    const status = await kubectl(c.apiserver, ['rollout', 'status', 'statefulset/web', '-n', NS, '--timeout=90s'], 100_000);
    expect(status.code, status.stderr).toBe(0);
    // With a partition (it defaults to 0) kubectl reports the partitioned form, as against Kubernetes.
    expect(status.stdout).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const rolled = await setStatus((x) => x.status?.currentRevision === x.status?.updateRevision && x.status?.updatedReplicas === 3, 'rolled');
    expect(rolled.status?.updateRevision).not.toBe(oldRevision);
    const now = await webPods();
    // Highest ordinal first: web-2's replacement is the oldest of the new pods.
    const created = (n: string) => Date.parse(now.find((p) => p.metadata.name === n)?.metadata.creationTimestamp ?? '');
    expect(created('web-2')).toBeLessThanOrEqual(created('web-1'));
    expect(created('web-1')).toBeLessThanOrEqual(created('web-0'));
    for (const p of now) expect(p.metadata.labels?.['controller-revision-hash']).toBe(rolled.status?.updateRevision);
    const revisions = await c.client.resource(ControllerRevisionResource).list({ namespace: NS });
    expect(revisions.items.map((r) => r.revision).sort()).toEqual([1, 2]);
    const history = await kubectl(c.apiserver, ['rollout', 'history', 'statefulset/web', '-n', NS]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>/);
    const undo = await kubectl(c.apiserver, ['rollout', 'undo', 'statefulset/web', '-n', NS]);
    expect(undo.code, undo.stderr).toBe(0);
    const back = await setStatus((x) => x.status?.currentRevision === x.status?.updateRevision && x.status?.updatedReplicas === 3 && x.status.readyReplicas === 3, 'rolled back');
    expect(back.spec?.template.metadata?.annotations?.['example.com/rev']).toBeUndefined();
    // The old revision became current again, renumbered to 3.
    expect(back.status?.updateRevision).toBe(oldRevision);
    expect((await c.client.resource(ControllerRevisionResource).get(oldRevision, { namespace: NS })).revision).toBe(3);
  }, 240_000);

  it('scales down from the highest ordinal, keeping the claims (whenScaled: Retain)', async () => {
    // The watch's DELETED events come in the order the store removed the pods.
    const rv = (await pods().list({ namespace: NS, limit: 1 })).metadata.resourceVersion;
    const abort = new AbortController();
    const deleted: string[] = [];
    const watching = (async () => {
      for await (const ev of pods().watch({ namespace: NS, resourceVersion: rv, signal: abort.signal })) {
        if (ev.type === 'DELETED') deleted.push(ev.object.metadata.name ?? '');
      }
    })().catch(() => undefined);
    try {
      const scale = await kubectl(c.apiserver, ['scale', 'statefulset/web', '-n', NS, '--replicas=1']);
      expect(scale.code, scale.stderr).toBe(0);
      await waitFor(() => deleted.length >= 2, { timeoutMs: READY_TIMEOUT_MS, message: 'web-1 and web-2 gone' });
    } finally {
      abort.abort();
      await watching;
    }
    expect(deleted).toEqual(['web-2', 'web-1']);
    await readyExactly(['web-0']);
    for (const n of ['data-web-0', 'data-web-1', 'data-web-2']) expect((await claims().get(n, { namespace: NS })).status?.phase).toBe('Bound');
    await setStatus((x) => x.status?.replicas === 1 && x.status.readyReplicas === 1, 'status counts 1');
  }, 90_000);

  it('deletes the claims of condemned pods when whenScaled is Delete', async () => {
    await sets().patch('web', { spec: { replicas: 2, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } } }, { type: 'merge', namespace: NS });
    await readyExactly(['web-0', 'web-1']);
    // The re-created web-1 found its old claim and what it wrote there.
    expect(await c.client.podLogs(NS, 'web-1', { container: 'history' })).toContain('seen: web-1');
    await sets().patch('web', { spec: { replicas: 1 } }, { type: 'merge', namespace: NS });
    await waitFor(async () => claims().get('data-web-1', { namespace: NS }).then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined)), { timeoutMs: READY_TIMEOUT_MS, message: 'data-web-1 deleted with its pod' });
    expect((await claims().get('data-web-0', { namespace: NS })).metadata.deletionTimestamp).toBeUndefined();
  }, 120_000);

  it('422s a selector that does not select the template', async () => {
    const bad = (await manifest()).set;
    bad.metadata.name = 'bad';
    if (bad.spec) bad.spec.selector = { matchLabels: { app: 'other' } };
    const err = await sets().create(bad).catch((e: unknown) => e);
    expect(isApiError(err) && err.status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(isApiError(err) ? err.status.message : '').toContain('`selector` does not match template `labels`');
  });
});
