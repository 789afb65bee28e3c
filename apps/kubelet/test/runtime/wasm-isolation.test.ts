// Isolation of Wasm pods: a guest that spins forever or allocates without bound affects
// neither the kubelet thread nor other pods, a spinning guest stops within its grace period,
// and a guest above its memory limit ends OOMKilled.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { containerConfig, ensureBuilt, examplesDir, get, logLines, sandboxConfig, removeTempDirs, tempDir, waitFor } from './helpers.js';

const MiB = 1024 * 1024;

describe('wasm runtime: isolation', () => {
  let runtime: WasmRuntime;
  let work: string;
  let web: string;

  beforeAll(async () => {
    ensureBuilt();
    work = tempDir('isolation');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache') });
    for (const image of ['hello-http/build/hello-http-v1.wasm', 'spin/build/spin.wasm', 'memhog/build/memhog.wasm']) await runtime.pullImage(image);
    const sandbox = await runtime.runPodSandbox(sandboxConfig('web', '127.77.3.1', join(work, 'web')));
    web = await runtime.createContainer(sandbox, containerConfig({ name: 'web', image: 'hello-http/build/hello-http-v1.wasm', ports: [{ containerPort: 8080 }], env: [{ name: 'POD_NAME', value: 'web' }] }));
    await runtime.startContainer(web);
  });
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  async function run(name: string, image: string, memoryLimitBytes?: number): Promise<string> {
    const sandbox = await runtime.runPodSandbox(sandboxConfig(name, '127.77.3.2', join(work, name)));
    const id = await runtime.createContainer(sandbox, containerConfig({ name, image, memoryLimitBytes }));
    await runtime.startContainer(id);
    return id;
  }

  it('keeps other pods and the kubelet thread responsive while a guest spins, then stops it within the grace period', async () => {
    const spin = await run('spin', 'spin/build/spin.wasm');
    const status = await runtime.containerStatus(spin);
    await waitFor(() => logLines(status.logPath).includes('spin: looping forever'), 5000, 'spin to start looping');
    const timerLag = await new Promise<number>((resolve) => {
      const at = performance.now();
      setTimeout(() => resolve(performance.now() - at - 50), 50);
    });
    // A blocked kubelet thread would never fire the timer; the bound only absorbs machine load.
    expect(timerLag).toBeLessThan(1000);
    for (let i = 0; i < 5; i++) expect((await get('http://127.77.3.1:8080/')).body).toBe('hello from web version v1\n');
    expect((await runtime.containerStatus(spin)).state).toBe('running');

    const graceSeconds = 1;
    const started = performance.now();
    await runtime.stopContainer(spin, graceSeconds);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(graceSeconds * 1000 - 50);
    expect(took).toBeLessThan(graceSeconds * 1000 + 1000);
    expect(await runtime.containerStatus(spin)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
  });

  it('stops a spinning guest at once with a zero grace period', async () => {
    const spin = await run('spin-now', 'spin/build/spin.wasm');
    const started = performance.now();
    await runtime.stopContainer(spin, 0);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await runtime.containerStatus(spin)).exitCode).toBe(137);
  });

  // Node.js closes the descriptors a Worker opened (log files, guest files) when it ends;
  // this pins that a killed container leaks none into the kubelet process.
  it('releases the descriptors of killed containers', async () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    const spin = await run('spin-warmup', 'spin/build/spin.wasm');
    await runtime.removeContainer(spin);
    const before = openFds();
    for (let i = 0; i < 10; i++) await runtime.removeContainer(await run(`spin-fd-${i}`, 'spin/build/spin.wasm'));
    // A thread's own handles (its event loop's epoll and wakeup descriptors) are closed as the
    // thread is torn down, which can trail removal on a loaded machine; a leak never drains.
    const leaked = () => readdirSync('/proc/self/fd').length - before;
    await waitFor(() => leaked() < 5, 5000, 'descriptors of removed containers to be released').catch(() => undefined);
    expect(leaked()).toBeLessThan(5);
  });

  it.each([
    { name: '32 MiB', limit: 32 * MiB },
    { name: '100 MiB', limit: 100 * MiB },
  ])('ends a memory hog OOMKilled at its $name limit while other pods keep answering', async ({ limit }) => {
    const hog = await run(`hog-${limit}`, 'memhog/build/memhog.wasm', limit);
    const status = await waitFor(async () => {
      const s = await runtime.containerStatus(hog);
      return s.state === 'exited' ? s : undefined;
    }, 20_000, 'the hog to exit');
    expect(status).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(logLines(status.logPath).some((l) => l.startsWith('memhog: 16 MiB'))).toBe(true);
    expect((await get('http://127.77.3.1:8080/')).status).toBe(200);
  });

  it('reports OOMKilled when the initial memory alone exceeds the limit', async () => {
    const hog = await run('tiny-limit', 'memhog/build/memhog.wasm', 1024);
    const status = await waitFor(async () => {
      const s = await runtime.containerStatus(hog);
      return s.state === 'exited' ? s : undefined;
    });
    expect(status).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(status.message).toMatch(/initial memory/);
  });
});
