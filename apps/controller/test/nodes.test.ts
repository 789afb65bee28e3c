// Node lifecycle and node IPAM acceptance, with short timeouts: a node whose heartbeat stops
// becomes Unknown, is tainted, and its pods are evicted and recreated elsewhere; it is untainted
// when it comes back. Every node gets its own pod CIDR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, NodeResource, PodResource, type Node, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { CidrSet } from '../src/nodeipam/cidr.js';
import { TAINT_UNREACHABLE } from '../src/nodelifecycle/taints.js';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';

const GRACE_MS = 1500;
const EVICTION_SECONDS = 1;
const NS = 'nodes';

let c: TestCluster;

beforeAll(async () => {
  c = await startCluster({
    nodes: 3,
    hollow: { heartbeatMs: 300 },
    // Pods get their NoExecute tolerations from admission (DefaultTolerationSeconds), as in Kubernetes.
    apiserverArgs: ['--default-not-ready-toleration-seconds', String(EVICTION_SECONDS), '--default-unreachable-toleration-seconds', String(EVICTION_SECONDS)],
    manager: { nodeMonitorGracePeriodMs: GRACE_MS, nodeMonitorPeriodMs: 200, podEvictionTimeoutSeconds: EVICTION_SECONDS },
  });
  await createNamespace(c.client, NS);
});
afterAll(async () => c?.stop());

const nodes = () => c.client.resource(NodeResource);
const ready = (n: Node) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
const podsOn = (pods: Pod[], node: string) => pods.filter((p) => p.spec?.nodeName === node);

describe('node IPAM', () => {
  it('gives every node its own /24 of the cluster CIDR, and pods get IPs from it', async () => {
    const list = await waitFor(async () => {
      const items = (await nodes().list()).items;
      return items.length === 3 && items.every((n) => n.spec?.podCIDR) ? items : undefined;
    });
    const cidrs = list.map((n) => n.spec?.podCIDR ?? '');
    expect(new Set(cidrs).size).toBe(3);
    const set = new CidrSet('127.64.0.0/10', 24);
    for (const n of list) {
      expect(set.occupy(n.spec?.podCIDR ?? '')).toBe(true);
      expect(n.spec?.podCIDRs).toEqual([n.spec?.podCIDR]);
    }
    await c.client.resource(DeploymentResource).create(deployment(NS, 'ipam', { replicas: 3 }));
    const pods = await waitFor(async () => {
      const items = (await c.client.resource(PodResource).list({ namespace: NS })).items;
      return items.length === 3 && items.every((p) => p.status?.podIP) ? items : undefined;
    });
    for (const p of pods) {
      const cidr = list.find((n) => n.metadata.name === p.spec?.nodeName)?.spec?.podCIDR ?? '';
      expect(p.status?.podIP?.startsWith(cidr.split('.').slice(0, 3).join('.') + '.')).toBe(true);
    }
    await c.client.resource(DeploymentResource).delete('ipam', { namespace: NS });
  });
});

describe('node lifecycle', () => {
  it('marks a silent node Unknown, taints it, evicts its pods to other nodes, and untaints it on return', async () => {
    await c.client.resource(DeploymentResource).create(deployment(NS, 'web', { replicas: 6 }));
    await waitFor(async () => (await c.client.resource(DeploymentResource).get('web', { namespace: NS })).status?.availableReplicas === 6, { timeoutMs: 20_000 });
    const victim = 'hollow-0';
    const before = podsOn((await c.client.resource(PodResource).list({ namespace: NS, labelSelector: 'app=web' })).items, victim);
    expect(before.length).toBeGreaterThan(0);
    c.hollow.stopHeartbeat(victim);
    const stoppedAt = Date.now();

    const unknown = await waitFor(async () => {
      const n = await nodes().get(victim);
      return ready(n) === 'Unknown' ? n : undefined;
    }, { timeoutMs: 10_000 });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(GRACE_MS - 500);
    expect(unknown.status?.conditions?.find((x) => x.type === 'Ready')?.reason).toBe('NodeStatusUnknown');
    const tainted = await waitFor(async () => {
      const n = await nodes().get(victim);
      return (n.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute') ? n : undefined;
    });
    expect(tainted.spec?.taints?.map((t) => t.effect).sort()).toEqual(['NoExecute', 'NoSchedule']);

    // Evicted after the default toleration; replacements run elsewhere.
    await waitFor(async () => {
      const pods = (await c.client.resource(PodResource).list({ namespace: NS, labelSelector: 'app=web' })).items;
      const evicted = before.every((b) => pods.find((p) => p.metadata.uid === b.metadata.uid)?.metadata.deletionTimestamp);
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      return evicted && live.length === 6 && podsOn(live, victim).length === 0;
    }, { timeoutMs: 15_000, message: 'evicted pods replaced on other nodes' });
    await waitFor(async () => (await c.client.resource(DeploymentResource).get('web', { namespace: NS })).status?.availableReplicas === 6, { timeoutMs: 15_000 });

    c.hollow.resumeHeartbeat(victim);
    const back = await waitFor(async () => {
      const n = await nodes().get(victim);
      return ready(n) === 'True' && (n.spec?.taints ?? []).length === 0 ? n : undefined;
    }, { timeoutMs: 10_000 });
    expect(back.spec?.taints ?? []).toEqual([]);
    // The returning kubelet finishes the evictions.
    await waitFor(async () => podsOn((await c.client.resource(PodResource).list({ namespace: NS, labelSelector: 'app=web' })).items, victim).length === 0);
  });
});
