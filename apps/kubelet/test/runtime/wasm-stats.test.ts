// Container stats of the Wasm runtime, measured per Worker thread: a guest spinning one core
// shows about one core between two readings even though it never yields its thread; an idle
// HTTP pod shows almost none; both hold memory; a stopped container is no longer listed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStats } from '@kite/cri';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { containerConfig, ensureBuilt, examplesDir, get, logLines, removeTempDirs, sandboxConfig, tempDir, waitFor } from './helpers.js';

/** The interval the rate is measured over: long enough for scheduler noise to average out. */
const WINDOW_MS = 2000;

function cores(a: ContainerStats, b: ContainerStats): number {
  return (b.cpu.usageCoreNanoSeconds - a.cpu.usageCoreNanoSeconds) / ((b.cpu.timestamp.getTime() - a.cpu.timestamp.getTime()) * 1e6);
}

describe('wasm runtime: container stats', () => {
  let runtime: WasmRuntime;
  let work: string;
  let spin: string;
  let web: string;

  beforeAll(async () => {
    ensureBuilt();
    work = tempDir('stats');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache') });
    for (const image of ['hello-http/build/hello-http-v1.wasm', 'spin/build/spin.wasm']) await runtime.pullImage(image);
    const webSandbox = await runtime.runPodSandbox(sandboxConfig('web', '127.77.12.1', join(work, 'web')));
    web = await runtime.createContainer(webSandbox, containerConfig({ name: 'web', image: 'hello-http/build/hello-http-v1.wasm', ports: [{ containerPort: 8080 }], env: [{ name: 'POD_NAME', value: 'web' }] }));
    await runtime.startContainer(web);
    const spinSandbox = await runtime.runPodSandbox(sandboxConfig('spin', '127.77.12.2', join(work, 'spin')));
    spin = await runtime.createContainer(spinSandbox, containerConfig({ name: 'spin', image: 'spin/build/spin.wasm' }));
    await runtime.startContainer(spin);
    const log = (await runtime.containerStatus(spin)).logPath;
    await waitFor(() => logLines(log).includes('spin: looping forever'), 5000, 'spin to start looping');
    expect((await get('http://127.77.12.1:8080/')).status).toBe(200);
  });
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  const byId = (stats: ContainerStats[], id: string) => {
    const s = stats.find((x) => x.id === id);
    if (!s) throw new Error(`no stats for ${id}`);
    return s;
  };

  it('shows a spinning guest at about one core and an idle one near zero, both holding memory', async () => {
    const first = await runtime.listContainerStats();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const second = await runtime.listContainerStats();
    const spinRate = cores(byId(first, spin), byId(second, spin));
    const webRate = cores(byId(first, web), byId(second, web));
    expect(spinRate).toBeGreaterThan(0.5);
    expect(spinRate).toBeLessThan(1.5);
    expect(webRate).toBeLessThan(0.2);
    expect(byId(second, spin)).toMatchObject({ name: 'spin', sandboxId: (await runtime.containerStatus(spin)).sandboxId });
    for (const s of second) expect(s.memory.workingSetBytes).toBeGreaterThan(0);
  });

  it('answers at once while the guest spins, and forgets a stopped container', async () => {
    const started = performance.now();
    await runtime.listContainerStats();
    expect(performance.now() - started).toBeLessThan(1000);
    await runtime.stopContainer(spin, 0);
    expect((await runtime.listContainerStats()).map((s) => s.id)).toEqual([web]);
  });
});
