// DaemonSet acceptance, all real parts: redis-server, the apiserver over TLS, the scheduler, the
// built controller manager (daemonset controller only), kubelets running examples/wasm-pods
// hello-http as Wasm pods in-process, and the real kubectl.
//
// One DaemonSet (nodeSelector kubernetes.io/os=linux, as agents are usually written) on a
// 3-node cluster: exactly one pod per node, each bound by the scheduler to the node its affinity
// pins it to; a fourth kubelet joining gets one; a node whose label stops matching loses its pod;
// `kubectl set image` rolls the pods with never more than maxUnavailable (1) node without an
// available pod (checked at every event of a watch); `kubectl rollout status|history|undo` work
// against the ControllerRevisions; bad input is 422.
//
// Subnets 110..114: node k has IP 127.1.110.k and pods from 127.64.(110+k).0/24.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControllerRevisionResource, DaemonSetResource, EventResource, NodeResource, PodResource, type DaemonSet, type Pod } from '@kite/api-types';
import { ApiError } from '@kite/apimachinery';
import { repoRoot, waitFor } from '@kite/testing';
import { startDaemonCluster, type DaemonCluster } from './helpers/daemon-cluster.js';
import { kubectl } from './helpers/kubectl.js';
import { isReady, PodWatch } from './helpers/watch.js';

const SUBNET = 110;
const NS = 'default';
const NAME = 'hello-http-agent';
const V1 = 'hello-http/build/hello-http-v1.wasm';
const V2 = 'hello-http/build/hello-http-v2.wasm';
const OS_LABEL = 'kubernetes.io/os';
/** The example's rollingUpdate.maxUnavailable. */
const MAX_UNAVAILABLE = 1;
/** Generous bounds for a loaded 2-core machine. */
const SETTLE_TIMEOUT_MS = 60_000;

let c: DaemonCluster;
let scratch: string;

const MANIFEST = join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'daemonset.yaml');

/** The example manifest as an object, in the test namespace. */
async function daemonSet(): Promise<DaemonSet> {
  const d = parse(await readFile(MANIFEST, 'utf8')) as DaemonSet;
  d.metadata.namespace = NS;
  return d;
}

const pods = async (): Promise<Pod[]> => (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `app=${NAME}` })).items;
const live = (ps: Pod[]) => ps.filter((p) => !p.metadata.deletionTimestamp);
const getDs = () => c.client.resource(DaemonSetResource).get(NAME, { namespace: NS });

/** One line per pod of the DaemonSet: name, node, readiness, deletion, image. */
const describePods = (ps: Pod[]) =>
  ps
    .filter((p) => p.metadata.labels?.app === NAME)
    .map((p) => `${p.metadata.name ?? ''} node=${p.spec?.nodeName ?? '-'} ready=${String(isReady(p))} deleting=${String(!!p.metadata.deletionTimestamp)} ${p.spec?.containers[0]?.image ?? ''}`)
    .join('\n');

/** Resolves once every node in `nodes` (and no other) runs exactly one ready pod with `image`. */
async function settled(nodes: readonly string[], image: string): Promise<Pod[]> {
  return waitFor(
    async () => {
      const ps = await pods();
      if (ps.length !== nodes.length || ps.some((p) => p.metadata.deletionTimestamp || !isReady(p) || p.spec?.containers[0]?.image !== image)) return undefined;
      const on = ps.map((p) => p.spec?.nodeName ?? '').sort();
      return JSON.stringify(on) === JSON.stringify([...nodes].sort()) ? ps : undefined;
    },
    { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 200, message: `one ready ${image} pod on each of ${nodes.join(', ')}` },
  ).catch(async (err: unknown) => {
    throw new Error(`${String(err)}\n${describePods(await pods())}\n${JSON.stringify((await getDs()).status)}`);
  });
}

/** Waits until the DaemonSet's status says `desired` nodes all run the current revision, available. */
async function statusSettled(desired: number): Promise<void> {
  await waitFor(
    async () => {
      const ds = await getDs();
      const s = ds.status;
      return s?.observedGeneration === ds.metadata.generation && s?.desiredNumberScheduled === desired && s.numberAvailable === desired && s.updatedNumberScheduled === desired && s.numberMisscheduled === 0;
    },
    { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 200, message: `DaemonSet status at ${desired} nodes` },
  );
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kite-ds-test-'));
  c = await startDaemonCluster({ subnet: SUBNET, nodes: 3, controllers: ['daemonset'] });
}, 180_000);

afterAll(async () => {
  await c?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('DaemonSet on a real cluster', () => {
  it('runs exactly one pod per node, placed by the scheduler, and shows in kubectl get ds', async () => {
    const applied = await kubectl(c.apiserver, ['apply', '-n', NS, '-f', MANIFEST]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`daemonset.apps/${NAME} created`);
    const ps = await settled(c.nodes, V1);
    for (const p of ps) {
      const pinned = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
      expect(pinned, 'the pod is pinned to the node it runs on').toBe(p.spec?.nodeName);
      expect(p.metadata.labels?.['controller-revision-hash']).toBeTruthy();
      expect(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute' && t.tolerationSeconds === undefined)).toBe(true);
    }
    await statusSettled(3);
    const out = await kubectl(c.apiserver, ['get', 'ds', NAME]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/);
    expect(out.stdout).toMatch(new RegExp(`^${NAME}\\s+3\\s+3\\s+3\\s+3\\s+3\\s+kubernetes.io/os=linux\\s+\\S+$`, 'm'));
    const described = await kubectl(c.apiserver, ['describe', 'ds', NAME]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/Desired Number of Nodes Scheduled: 3/);
    expect(described.stdout).toMatch(/Pods Status:\s+3 Running/);
    const events = (await c.client.resource(EventResource).list({ namespace: NS })).items.filter((e) => e.involvedObject.name === NAME && e.reason === 'SuccessfulCreate');
    expect(events.length).toBeGreaterThan(0);
  }, 120_000);

  it('gives a joining node its pod, and takes it from a node whose label stops matching', async () => {
    const fourth = await c.addNode();
    await settled(c.nodes, V1);
    const second = c.nodes[1] ?? '';
    await c.client.resource(NodeResource).patch(second, { metadata: { labels: { [OS_LABEL]: 'plan9' } } }, { type: 'merge' });
    const remaining = c.nodes.filter((n) => n !== second);
    await settled(remaining, V1);
    expect(remaining).toContain(fourth);
    await statusSettled(3);
  }, 150_000);

  it('rolls a template change within maxUnavailable, and kubectl rollout status, history and undo work', async () => {
    const nodes = c.nodes.filter((n) => n !== c.nodes[1]);
    let worst = 0;
    let worstSeen = '';
    const watch = new PodWatch(c.client, NS, (all) => {
      const availableOn = new Set([...all.values()].filter((p) => p.metadata.labels?.app === NAME && !p.metadata.deletionTimestamp && isReady(p)).map((p) => p.spec?.nodeName));
      const missing = nodes.filter((n) => !availableOn.has(n)).length;
      if (missing > worst) worstSeen = describePods([...all.values()]);
      worst = Math.max(worst, missing);
    });
    await watch.start();
    const set = await kubectl(c.apiserver, ['set', 'image', `daemonset/${NAME}`, `hello=${V2}`]);
    expect(set.code, set.stderr).toBe(0);
    const status = await kubectl(c.apiserver, ['rollout', 'status', `daemonset/${NAME}`, '--timeout=90s'], 100_000);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`daemon set "${NAME}" successfully rolled out`);
    await settled(nodes, V2);
    await watch.stop();
    expect(worst, `nodes without an available pod at worst, when the pods were:\n${worstSeen}`).toBeLessThanOrEqual(MAX_UNAVAILABLE);
    expect(watch.events).toBeGreaterThan(0);

    const history = await kubectl(c.apiserver, ['rollout', 'history', `daemonset/${NAME}`]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const rev1 = await kubectl(c.apiserver, ['rollout', 'history', `daemonset/${NAME}`, '--revision=1']);
    expect(rev1.code, rev1.stderr).toBe(0);
    expect(rev1.stdout).toContain(V1);

    const undo = await kubectl(c.apiserver, ['rollout', 'undo', `daemonset/${NAME}`]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`daemonset.apps/${NAME} rolled back`);
    await settled(nodes, V1);
    await statusSettled(nodes.length);
    const revisions = (await c.client.resource(ControllerRevisionResource).list({ namespace: NS, labelSelector: `app=${NAME}` })).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([2, 3]);
    const after = await kubectl(c.apiserver, ['rollout', 'history', `daemonset/${NAME}`]);
    expect(after.stdout).toMatch(/2\s+<none>\n3\s+<none>/);
    const cr = await kubectl(c.apiserver, ['get', 'controllerrevisions']);
    expect(cr.stdout).toMatch(new RegExp(`^${NAME}-\\S+\\s+daemonset.apps/${NAME}\\s+3\\s+\\S+$`, 'm'));
    expect(live(await pods())).toHaveLength(nodes.length);
  }, 240_000);

  it.each([
    {
      name: 'a selector that does not match the template',
      mutate: (d: DaemonSet) => void (d.spec && (d.spec.selector = { matchLabels: { app: 'other' } })),
      field: 'spec.template.metadata.labels',
      message: /Invalid value: .*: `selector` does not match template `labels`/,
    },
    {
      name: 'a restartPolicy other than Always',
      mutate: (d: DaemonSet) => void (d.spec?.template.spec && (d.spec.template.spec.restartPolicy = 'OnFailure')),
      field: 'spec.template.spec.restartPolicy',
      message: /Unsupported value: "OnFailure"/,
    },
    {
      name: 'maxUnavailable and maxSurge both 0',
      mutate: (d: DaemonSet) => void (d.spec && (d.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } })),
      field: 'spec.updateStrategy.rollingUpdate.maxUnavailable',
      message: /may not be 0 when `maxSurge` is 0/,
    },
  ])('refuses $name with 422', async ({ mutate, field, message }) => {
    const d = await daemonSet();
    d.metadata.name = 'bad';
    mutate(d);
    const err = await c.client
      .resource(DaemonSetResource)
      .create(d)
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const status = (err as ApiError).status;
    expect(status.code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.details?.causes?.some((x) => x.field === field && message.test(x.message ?? ''))).toBe(true);
    expect(status.message).toMatch(message);
  });

  it('shows kubectl the Invalid cause of a selector that does not match', async () => {
    const d = await daemonSet();
    d.metadata.name = 'bad';
    if (d.spec) d.spec.selector = { matchLabels: { app: 'other' } };
    const file = join(scratch, 'bad.json');
    await writeFile(file, JSON.stringify(d));
    const out = await kubectl(c.apiserver, ['apply', '-f', file]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value:');
    expect(out.stderr).toContain('`selector` does not match template `labels`');
  });
});
