// The Wasm runtime serving hello-http (WAGI) on pod IPs: POD_NAME/VERSION in the answer,
// two pods on :8080 on different IPs, graceful stop, and the event stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import type { ContainerEvent } from '@kite/cri';
import { containerConfig, ensureBuilt, examplesDir, get, sandboxConfig, removeTempDirs, tempDir, waitFor } from './helpers.js';

const IMAGE_V1 = 'hello-http/build/hello-http-v1.wasm';
const IMAGE_V2 = 'hello-http/build/hello-http-v2.wasm';

describe('wasm runtime: hello-http', () => {
  let runtime: WasmRuntime;
  let logs: string;

  beforeAll(async () => {
    ensureBuilt();
    logs = tempDir('http-logs');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: tempDir('http-cache') });
    await runtime.pullImage(IMAGE_V1);
    await runtime.pullImage(IMAGE_V2);
  });
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  async function startPod(name: string, podIP: string, image: string, env: Array<{ name: string; value: string }>): Promise<string> {
    const sandbox = await runtime.runPodSandbox(sandboxConfig(name, podIP, `${logs}/${name}`));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'web', image, env, ports: [{ containerPort: 8080 }] }));
    await runtime.startContainer(id);
    return id;
  }

  it.each([
    { name: 'v1 default version', ip: '127.77.1.10', image: IMAGE_V1, env: [], want: 'hello from pod-a version v1' },
    { name: 'v2 default version', ip: '127.77.1.11', image: IMAGE_V2, env: [], want: 'hello from pod-b version v2' },
    { name: 'VERSION env wins', ip: '127.77.1.12', image: IMAGE_V1, env: [{ name: 'VERSION', value: 'v9' }], want: 'hello from pod-c version v9' },
  ])('answers with POD_NAME and VERSION: $name', async ({ ip, image, env, want }) => {
    const pod = want.split(' ')[2] ?? '';
    await startPod(pod, ip, image, [{ name: 'POD_NAME', value: pod }, ...env]);
    const response = await get(`http://${ip}:8080/`);
    expect(response).toEqual({ status: 200, body: `${want}\n` });
  });

  it('serves two pods on port 8080 on different pod IPs', async () => {
    await startPod('twin-1', '127.77.1.21', IMAGE_V1, [{ name: 'POD_NAME', value: 'twin-1' }]);
    await startPod('twin-2', '127.77.1.22', IMAGE_V2, [{ name: 'POD_NAME', value: 'twin-2' }]);
    const [one, two] = await Promise.all([get('http://127.77.1.21:8080/'), get('http://127.77.1.22:8080/')]);
    expect(one.body).toBe('hello from twin-1 version v1\n');
    expect(two.body).toBe('hello from twin-2 version v2\n');
  });

  it('fails to start with StartError when the pod IP and port are taken', async () => {
    await startPod('first', '127.77.1.40', IMAGE_V1, []);
    const sandbox = await runtime.runPodSandbox(sandboxConfig('second', '127.77.1.40', `${logs}/second`));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'web', image: IMAGE_V1, ports: [{ containerPort: 8080 }] }));
    await expect(runtime.startContainer(id)).rejects.toMatchObject({ message: expect.stringMatching(/EADDRINUSE/) });
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
  });

  it('stops gracefully with exit code 0 and reports events in order', async () => {
    const events: ContainerEvent[] = [];
    const unsubscribe = runtime.onContainerEvent((e) => events.push(e));
    const id = await startPod('graceful', '127.77.1.30', IMAGE_V1, []);
    await runtime.stopContainer(id, 5);
    const status = await runtime.containerStatus(id);
    expect(status).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    await expect(get('http://127.77.1.30:8080/', 1000)).rejects.toThrow();
    await runtime.removeContainer(id);
    await waitFor(() => events.some((e) => e.type === 'ContainerDeleted' && e.containerId === id));
    unsubscribe();
    expect(events.filter((e) => e.containerId === id).map((e) => e.type)).toEqual(['ContainerCreated', 'ContainerStarted', 'ContainerStopped', 'ContainerDeleted']);
  });
});
