// Acceptance: RuntimeClass through a real apiserver and scheduler. The built-in classes exist on a
// new cluster; a pod naming a class that does not exist is refused 403 with Kubernetes' message;
// a class's overhead lands in the pod and the scheduler counts it, so two pods that would fit a
// node on their requests alone do not fit with the overhead.
import { RuntimeClassResource, type Pod } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerApp } from '../../src/app.js';
import { createNode, createPod, startCluster, startScheduler, type Cluster } from '../helpers/cluster.js';

let c: Cluster;
let sched: SchedulerApp;

beforeAll(async () => {
  c = await startCluster();
  await createNode(c, 'one-cpu', { cpu: '1', memory: '4Gi' });
  sched = await startScheduler(c);
});

afterAll(async () => {
  await sched?.stop();
  await c?.stop();
});

const scheduled = (p: Pod) => p.status?.conditions?.find((x) => x.type === 'PodScheduled');

describe('RuntimeClass', () => {
  it('a new cluster has the wasm and docker classes, each naming its handler', async () => {
    const list = await c.kube.resource(RuntimeClassResource).list();
    expect(list.items.map((rc) => [rc.metadata.name, rc.handler]).sort()).toEqual([
      ['docker', 'docker'],
      ['wasm', 'wasm'],
    ]);
  });

  it('refuses a pod naming a missing class with 403 Forbidden', async () => {
    const err: unknown = await createPod(c, 'no-class', {}, { spec: { runtimeClassName: 'gvisor' } }).catch((e: unknown) => e);
    expect(isApiError(err) && [err.code, err.status.reason, err.status.message]).toEqual([403, 'Forbidden', 'pods "no-class" is forbidden: pod rejected: RuntimeClass "gvisor" not found']);
  });

  it("counts the class's overhead: two 300m pods with 400m overhead each do not fit one cpu", async () => {
    const classes = c.kube.resource(RuntimeClassResource);
    await classes.patch('docker', { overhead: { podFixed: { cpu: '400m' } } }, { type: 'merge' });
    const first = await createPod(c, 'first', { cpu: '300m' }, { spec: { runtimeClassName: 'docker' } });
    expect(first.spec?.overhead).toEqual({ cpu: '400m' });
    await waitFor(async () => (await c.pods.get('first', { namespace: 'default' })).spec?.nodeName === 'one-cpu', { message: 'first bound' });
    await createPod(c, 'second', { cpu: '300m' }, { spec: { runtimeClassName: 'docker' } });
    const pending = await waitFor(async () => {
      const p = await c.pods.get('second', { namespace: 'default' });
      return scheduled(p)?.status === 'False' ? p : undefined;
    }, { message: 'second unschedulable' });
    expect(scheduled(pending)?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    // Without the class (so without overhead) the same request fits beside the first pod.
    await createPod(c, 'plain', { cpu: '300m' });
    await waitFor(async () => (await c.pods.get('plain', { namespace: 'default' })).spec?.nodeName === 'one-cpu', { message: 'plain bound' });
  });

  it("goes by the class's handler, not its name: a class 'sandboxed' of handler wasmer needs a wasmer node", async () => {
    await c.kube.resource(RuntimeClassResource).create({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'sandboxed' }, handler: 'wasmer' });
    await createNode(c, 'wasmer-node', { cpu: '1', memory: '4Gi' }, { labels: { 'runtime.kite.dev/wasmer': 'true' } });
    await createPod(c, 'isolated', {}, { spec: { runtimeClassName: 'sandboxed' } });
    const bound = await waitFor(async () => {
      const p = await c.pods.get('isolated', { namespace: 'default' });
      return p.spec?.nodeName ? p : undefined;
    }, { message: 'isolated bound' });
    expect(bound.spec?.nodeName).toBe('wasmer-node');
  });
});
