// The Wasm runtime running JavaScript components: hello-http (wasi:http incoming-handler)
// on a pod IP with the WAGI flavour's contract (POD_NAME and VERSION in the answer), and
// batch (wasi:cli command) to completion with exit codes, logs and read-only mounts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import type { ContainerConfig, ContainerStatus } from '@kite/cri';
import { containerConfig, ensureBuilt, examplesDir, get, logLines, sandboxConfig, removeTempDirs, tempDir, waitFor } from './helpers.js';

const COMPONENT = 'hello-http/build/hello-http-component-v1.wasm';
const BATCH = 'batch/build/batch-component.wasm';
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
    await runtime.pullImage(BATCH);
  }, SLOW_SETUP_MS);
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

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

describe('wasm runtime: batch command component', () => {
  let runtime: WasmRuntime;
  let work: string;
  let configDir: string;
  let outDir: string;
  let index = 0;

  beforeAll(async () => {
    ensureBuilt({ components: true });
    work = tempDir('cli-component');
    configDir = join(work, 'config');
    outDir = join(work, 'out');
    mkdirSync(configDir);
    mkdirSync(outDir);
    writeFileSync(join(configDir, 'config.txt'), 'greeting=hello\n');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache') });
    await runtime.pullImage(BATCH);
  }, SLOW_SETUP_MS);
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  async function runToCompletion(overrides: Partial<ContainerConfig>): Promise<{ status: ContainerStatus; lines: string[] }> {
    const name = `cli-${++index}`;
    const sandbox = await runtime.runPodSandbox(sandboxConfig(name, `127.77.9.${index}`, join(work, 'logs', name)));
    const mounts = [
      { hostPath: configDir, containerPath: '/config', readOnly: true },
      { hostPath: outDir, containerPath: '/out', readOnly: false },
    ];
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'main', image: BATCH, mounts, ...overrides }));
    await runtime.startContainer(id);
    const status = await waitFor(async () => {
      const s = await runtime.containerStatus(id);
      return s.state === 'exited' ? s : undefined;
    }, 30_000, 'the command to exit');
    return { status, lines: logLines(status.logPath) };
  }

  it.each([
    { name: 'reads the mounted config and exits 0', args: [], exitCode: 0, reason: 'Completed', log: 'config: greeting=hello' },
    { name: '--fail exits 1 with reason Error', args: ['--fail'], exitCode: 1, reason: 'Error', log: 'batch-js: failing as asked' },
    { name: 'a read-only mount refuses a write', args: ['--write', '/config/x.txt'], exitCode: 1, reason: 'Error', log: 'batch-js: write to /config/x.txt refused: read-only' },
    { name: 'a read-write mount takes a write', args: ['--write', '/out/x.txt'], exitCode: 0, reason: 'Completed', log: 'batch-js: wrote /out/x.txt' },
  ])('$name', async ({ args, exitCode, reason, log }) => {
    const { status, lines } = await runToCompletion({ args });
    expect(status).toMatchObject({ exitCode, reason });
    expect(lines).toContain(log);
  }, SLOW_SETUP_MS);

  it('left the read-only mount untouched and wrote the read-write one', () => {
    expect(existsSync(join(configDir, 'x.txt'))).toBe(false);
    expect(readFileSync(join(outDir, 'x.txt'), 'utf8')).toBe('written by batch-js\n');
  });
});
