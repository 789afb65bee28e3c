// A hollow node started with --hollow-accept-any-pod (kubemark's hollow kubelet): it advertises
// the wasm and docker handlers too, and runs real manifests unchanged (a Docker pod, a Wasm pod,
// a pod of the built-in `wasm` RuntimeClass) on the hollow runtime, so scale tests need no
// `runtimeClassName: hollow`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NodeResource, type Pod } from '@kite/api-types';
import { pods, startKubeletCluster, waitForPod, type KubeletCluster } from './helpers.js';

const SUBNET = 146;
let c: KubeletCluster;
beforeAll(async () => {
  c = await startKubeletCluster(SUBNET, ['--runtimes', 'hollow', '--hollow-accept-any-pod', 'true']);
});
afterAll(async () => {
  await c?.stop();
});

const pod = (name: string, image: string, runtimeClassName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: c.nodeName, ...(runtimeClassName ? { runtimeClassName } : {}), containers: [{ name: 'main', image }] },
});

it('advertises hollow, wasm and docker', async () => {
  const node = await c.client.resource(NodeResource).get(c.nodeName);
  for (const h of ['hollow', 'wasm', 'docker']) expect(node.metadata.labels?.[`runtime.kite.dev/${h}`]).toBe('true');
  expect(node.status?.runtimeHandlers?.map((h) => h.name).sort()).toEqual(['docker', 'hollow', 'wasm']);
});

it('runs Docker, Wasm and RuntimeClass pods on the hollow runtime', async () => {
  const specs = [pod('nginx', 'nginx:1.27'), pod('hello', 'hello-http/build/hello-http-v1.wasm'), pod('classed', 'busybox:1.36', 'wasm')];
  await Promise.all(specs.map((p) => pods(c).create(p)));
  for (const p of specs) {
    const running = await waitForPod(c, p.metadata.name ?? '', (x) => x.status?.phase === 'Running', 20_000, 'Running');
    expect(running.status?.containerStatuses?.[0]?.containerID).toMatch(/^hollow:\/\//);
  }
});
