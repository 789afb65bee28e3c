// DaemonSet update strategies on a real 2-node cluster (redis-server, apiserver over TLS,
// scheduler, built controller manager, Wasm kubelets in-process, the real kubectl):
// - RollingUpdate with maxSurge 1 / maxUnavailable 0: each node gets its new pod beside the old
//   one, and the old one goes once the new one is available, so at every event of a watch every
//   node has an available pod and at most one node runs two;
// - OnDelete: a template change replaces nothing until a pod is deleted by hand, and its
//   replacement has the new template; `kubectl rollout status` refuses, as for Kubernetes.
//
// Node k has IP 127.1.111.k and pods from 127.64.110.(64k)/26 (this file's share of subnets
// 110..114; daemonset.test.ts uses the rest).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSetResource, PodResource, type DaemonSet, type Pod } from '@kite/api-types';
import { repoRoot, waitFor } from '@kite/testing';
import { startDaemonCluster, type DaemonCluster } from './helpers/daemon-cluster.js';
import { kubectl } from './helpers/kubectl.js';
import { isReady, PodWatch } from './helpers/watch.js';

const SUBNET = 111;
/** Addresses per node in the /24 this file takes pod IPs from. */
const POD_BLOCK = 64;
const NS = 'default';
const NAME = 'hello-http-agent';
const V1 = 'hello-http/build/hello-http-v1.wasm';
const V2 = 'hello-http/build/hello-http-v2.wasm';
const SETTLE_TIMEOUT_MS = 60_000;

let c: DaemonCluster;

const pods = async (): Promise<Pod[]> => (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: `app=${NAME}` })).items;
const imageOf = (p: Pod) => p.spec?.containers[0]?.image;
/** The node a pod runs on, or (not yet bound) the node its affinity pins it to. */
const nodeOf = (p: Pod) => p.spec?.nodeName ?? p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
const getDs = () => c.client.resource(DaemonSetResource).get(NAME, { namespace: NS });

/** Resolves once each node runs exactly one ready pod, with the image `images[node]`. */
async function settled(images: Readonly<Record<string, string>>): Promise<Pod[]> {
  return waitFor(
    async () => {
      const ps = await pods();
      const ok = ps.length === Object.keys(images).length && ps.every((p) => !p.metadata.deletionTimestamp && isReady(p) && imageOf(p) === images[p.spec?.nodeName ?? '']);
      return ok && new Set(ps.map((p) => p.spec?.nodeName)).size === ps.length ? ps : undefined;
    },
    { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 200, message: `pods ${JSON.stringify(images)}` },
  );
}

const everywhere = (image: string) => Object.fromEntries(c.nodes.map((n) => [n, image]));

beforeAll(async () => {
  c = await startDaemonCluster({ subnet: SUBNET, nodes: 2, controllers: ['daemonset'], podCIDR: (k) => `127.64.110.${k * POD_BLOCK}/26` });
  const d = parse(await readFile(join(repoRoot, 'examples', 'wasm-pods', 'hello-http', 'daemonset.yaml'), 'utf8')) as DaemonSet;
  d.metadata.namespace = NS;
  if (d.spec) d.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
  await c.client.resource(DaemonSetResource).create(d);
  await settled(everywhere(V1));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

describe('DaemonSet update strategies', () => {
  it('surges: a new pod beside the old one, then the old one goes, never a node without an available pod', async () => {
    let unavailable = 0;
    let doubled = 0;
    const watch = new PodWatch(c.client, NS, (all) => {
      const live = [...all.values()].filter((p) => p.metadata.labels?.app === NAME && !p.metadata.deletionTimestamp);
      unavailable = Math.max(unavailable, c.nodes.filter((n) => !live.some((p) => p.spec?.nodeName === n && isReady(p))).length);
      doubled = Math.max(doubled, c.nodes.filter((n) => live.filter((p) => nodeOf(p) === n).length > 1).length);
    });
    await watch.start();
    const set = await kubectl(c.apiserver, ['set', 'image', `daemonset/${NAME}`, `hello=${V2}`]);
    expect(set.code, set.stderr).toBe(0);
    const status = await kubectl(c.apiserver, ['rollout', 'status', `daemonset/${NAME}`, '--timeout=90s'], 100_000);
    expect(status.code, status.stderr).toBe(0);
    await settled(everywhere(V2));
    await watch.stop();
    expect(unavailable, 'nodes without an available pod at worst').toBe(0);
    expect(doubled, 'nodes running two pods at once at most (maxSurge 1), and at least one did').toBe(1);
  }, 120_000);

  it('OnDelete: replaces only the pods deleted by hand', async () => {
    await c.client.resource(DaemonSetResource).patch(NAME, { spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } } }, { type: 'merge', namespace: NS });
    const set = await kubectl(c.apiserver, ['set', 'image', `daemonset/${NAME}`, `hello=${V1}`]);
    expect(set.code, set.stderr).toBe(0);
    await waitFor(
      async () => {
        const ds = await getDs();
        return ds.status?.observedGeneration === ds.metadata.generation && ds.status?.updatedNumberScheduled === 0;
      },
      { timeoutMs: SETTLE_TIMEOUT_MS, message: 'the new generation observed, no pod updated' },
    );
    expect((await pods()).map(imageOf)).toEqual([V2, V2]);
    const rollout = await kubectl(c.apiserver, ['rollout', 'status', `daemonset/${NAME}`, '--timeout=5s']);
    expect(rollout.code).not.toBe(0);
    expect(rollout.stderr).toContain('rollout status is only available for RollingUpdate strategy type');

    const [first, second] = c.nodes;
    const victim = (await pods()).find((p) => p.spec?.nodeName === first);
    await c.client.resource(PodResource).delete(victim?.metadata.name ?? '', { namespace: NS });
    await settled({ [first ?? '']: V1, [second ?? '']: V2 });
    const ds = await getDs();
    expect(ds.status?.updatedNumberScheduled).toBe(1);
  }, 120_000);
});
