// One kubelet running Wasm and Docker pods side by side: the Node advertises both runtimes, each
// pod runs on the runtime its spec picks and serves on its own pod IP. A kubelet whose Docker
// engine does not answer says so in its log and does not advertise `docker`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResource } from '@kite/api-types';
import { freePort, startApp, waitFor, waitKubeletHealthy } from '@kite/testing';
import { get, httpPod, isReady, pods, waitForPod } from '../helpers.js';
import { dockerPod, engineContainers, httpd, startDockerCluster, type DockerCluster } from './support.js';

let c: DockerCluster;
beforeAll(async () => {
  c = await startDockerCluster(66, 'wasm,docker');
});
afterAll(async () => c.stop());

const runtimeLabels = (labels: Record<string, string> | undefined) => Object.keys(labels ?? {}).filter((k) => k.startsWith('runtime.kite.dev/')).sort();

describe('a mixed node', () => {
  it('advertises both runtimes and runs a Wasm pod and a Docker pod side by side, both on port 8080', async () => {
    const node = await c.client.resource(NodeResource).get(c.nodeName);
    expect(runtimeLabels(node.metadata.labels)).toEqual(['runtime.kite.dev/docker', 'runtime.kite.dev/wasm']);
    const serve = ['sh', '-c', `mkdir -p /www && echo "docker pod $POD_NAME" > /www/index.html && exec ${httpd(8080, '/www').join(' ')}`];
    const env = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    // The Docker pod names no runtime class: a non-.wasm image means Docker.
    await pods(c).create(dockerPod(c, 'in-docker', [{ name: 'web', command: serve, env, ports: [{ containerPort: 8080 }] }], { runtimeClassName: undefined }));
    await pods(c).create(httpPod(c, 'in-wasm'));
    const d = await waitForPod(c, 'in-docker', isReady, 30_000, 'Ready');
    const w = await waitForPod(c, 'in-wasm', isReady, 30_000, 'Ready');
    expect(d.status?.containerStatuses?.[0]?.containerID).toMatch(/^docker:\/\//);
    expect(w.status?.containerStatuses?.[0]?.containerID).toMatch(/^wasm:\/\//);
    expect((await get(`http://${d.status?.podIP ?? ''}:8080/`))?.body).toContain('docker pod in-docker');
    expect((await get(`http://${w.status?.podIP ?? ''}:8080/`))?.body).toContain('in-wasm');
    // Only the Docker pod is on the engine.
    expect((await engineContainers(c)).map((x) => x.Labels['io.kubernetes.pod.name'])).toEqual(['in-docker', 'in-docker']);
  });
});

describe('a node whose Docker engine does not answer', () => {
  it('logs why and advertises only the runtimes it has', async () => {
    const rootDir = await mkdtemp(join(tmpdir(), 'kite-kubelet-'));
    const nodeIP = '127.1.66.2';
    const port = await freePort(nodeIP);
    const args = [...(await c.apiserver.kubeletArgs('node-66-no-engine', nodeIP)), '--node-name', 'node-66-no-engine', '--node-ip', nodeIP, '--pod-cidr', '127.64.166.0/24', '--root-dir', rootDir, '--port', String(port), '--runtimes', 'hollow,docker'];
    const kubelet = startApp('kubelet', args, { DOCKER_HOST: `unix://${join(rootDir, 'no-such-docker.sock')}` });
    try {
      await waitKubeletHealthy(nodeIP, port, kubelet);
      const node = await waitFor(() => c.client.resource(NodeResource).get('node-66-no-engine').catch(() => undefined), { timeoutMs: 10_000, message: 'node registered' });
      expect(runtimeLabels(node.metadata.labels)).toEqual(['runtime.kite.dev/hollow']);
      expect(kubelet.output()).toContain('docker runtime NOT offered');
    } finally {
      await kubelet.stop();
      await rm(rootDir, { recursive: true, force: true });
    }
  });
});
