// The Wasm runtime serving the JavaScript hello-http component (wasi:http incoming-handler)
// on a pod IP, beside the WAGI flavour's contract: POD_NAME and VERSION in the answer.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { containerConfig, ensureBuilt, examplesDir, get, sandboxConfig, tempDir } from './helpers.js';

const COMPONENT = 'hello-http/build/hello-http-component-v1.wasm';
/** Building the component takes 20-50 s and transpiling it 3-6 s the first time. */
const SLOW_SETUP_MS = 240_000;

describe('wasm runtime: hello-http component', () => {
  let runtime: WasmRuntime;
  let work: string;

  beforeAll(async () => {
    ensureBuilt({ components: true });
    work = tempDir('component');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache') });
    await runtime.pullImage(COMPONENT);
  }, SLOW_SETUP_MS);
  afterAll(async () => runtime.close());

  async function startPod(name: string, ip: string, env: Array<{ name: string; value: string }>): Promise<string> {
    const sandbox = await runtime.runPodSandbox(sandboxConfig(name, ip, join(work, name)));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'web', image: COMPONENT, ports: [{ containerPort: 8080 }], env, memoryLimitBytes: 256 * 1024 * 1024 }));
    await runtime.startContainer(id);
    return id;
  }

  it('serves POD_NAME and the compiled-in version, and VERSION overrides it', async () => {
    await startPod('comp-a', '127.77.7.1', [{ name: 'POD_NAME', value: 'comp-a' }]);
    await startPod('comp-b', '127.77.7.2', [{ name: 'POD_NAME', value: 'comp-b' }, { name: 'VERSION', value: 'v7' }]);
    expect(await get('http://127.77.7.1:8080/')).toEqual({ status: 200, body: 'hello from comp-a version v1\n' });
    expect(await get('http://127.77.7.2:8080/')).toEqual({ status: 200, body: 'hello from comp-b version v7\n' });
    for (let i = 0; i < 5; i++) expect((await get('http://127.77.7.1:8080/healthz')).body).toBe('ok\n');
  }, SLOW_SETUP_MS);

  it('stops gracefully', async () => {
    const id = await startPod('comp-stop', '127.77.7.3', []);
    await runtime.stopContainer(id, 5);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    await expect(get('http://127.77.7.3:8080/', 1000)).rejects.toThrow();
  });
});
