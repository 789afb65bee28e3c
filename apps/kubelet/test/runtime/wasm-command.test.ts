// The Wasm runtime running commands to completion: exit codes and reasons, CRI log output,
// mounted config files, and read-only mounts refusing writes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import type { ContainerConfig, ContainerStatus } from '@kite/cri';
import { containerConfig, ensureBuilt, examplesDir, logLines, sandboxConfig, removeTempDirs, tempDir, waitFor } from './helpers.js';

const BATCH = 'batch/build/batch.wasm';

describe('wasm runtime: batch commands', () => {
  let runtime: WasmRuntime;
  let work: string;
  let configDir: string;
  let outDir: string;
  let podIndex = 0;

  beforeAll(async () => {
    ensureBuilt();
    work = tempDir('batch');
    configDir = join(work, 'config');
    outDir = join(work, 'out');
    mkdirSync(configDir);
    mkdirSync(outDir);
    writeFileSync(join(configDir, 'config.txt'), 'greeting=hello\nmode=test\n');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache') });
    await runtime.pullImage(BATCH);
  });
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  /** Runs one batch container to completion and returns its final status and log lines. */
  async function runToCompletion(overrides: Partial<ContainerConfig>): Promise<{ status: ContainerStatus; lines: string[] }> {
    const name = `batch-${++podIndex}`;
    const sandbox = await runtime.runPodSandbox(sandboxConfig(name, `127.77.2.${podIndex}`, join(work, 'logs', name)));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'main', image: BATCH, ...overrides }));
    const stopped = new Promise<void>((resolve) => {
      const off = runtime.onContainerEvent((e) => {
        if (e.containerId !== id || e.type !== 'ContainerStopped') return;
        off();
        resolve();
      });
    });
    await runtime.startContainer(id);
    await stopped;
    const status = await runtime.containerStatus(id);
    return { status, lines: logLines(status.logPath) };
  }

  const configMount = (readOnly: boolean) => ({ hostPath: configDir, containerPath: '/config', readOnly });

  it.each([
    { name: 'reads the mounted config and exits 0', args: [], env: [], exitCode: 0, reason: 'Completed', logs: ['config: greeting=hello', 'config: mode=test', 'batch: done'] },
    { name: 'config path from an argument', args: ['--config', '/config/config.txt'], env: [], exitCode: 0, reason: 'Completed', logs: ['config: mode=test'] },
    { name: 'config path from env CONFIG_FILE', args: [], env: [{ name: 'CONFIG_FILE', value: '/config/config.txt' }], exitCode: 0, reason: 'Completed', logs: ['config: greeting=hello'] },
    { name: '--fail exits 1 with reason Error', args: ['--fail'], env: [], exitCode: 1, reason: 'Error', logs: ['batch: failing as asked'] },
    { name: 'FAIL=1 exits 1 with reason Error', args: [], env: [{ name: 'FAIL', value: '1' }], exitCode: 1, reason: 'Error', logs: ['batch: failing as asked'] },
    { name: 'a missing config exits 2', args: ['--config', '/config/missing.txt'], env: [], exitCode: 2, reason: 'Error', logs: ['batch: cannot read /config/missing.txt: NOENT'] },
  ])('$name', async ({ args, env, exitCode, reason, logs }) => {
    const { status, lines } = await runToCompletion({ args, env, mounts: [configMount(true)] });
    expect(status).toMatchObject({ state: 'exited', exitCode, reason });
    expect(status.startedAt).toBeInstanceOf(Date);
    expect(status.finishedAt).toBeInstanceOf(Date);
    expect(status.imageRef).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toEqual(expect.arrayContaining(logs));
  });

  it('reports Created, Started, Stopped in that order even for a command that exits at once', async () => {
    const seen: string[] = [];
    const off = runtime.onContainerEvent((e) => seen.push(`${e.type}:${e.status?.state ?? ''}`));
    const { status } = await runToCompletion({ args: ['--config', '/config/missing.txt'], mounts: [configMount(true)] });
    await waitFor(() => seen.length >= 3);
    off();
    expect(status.exitCode).toBe(2);
    expect(seen).toEqual(['ContainerCreated:created', 'ContainerStarted:running', 'ContainerStopped:exited']);
  });

  it('writes its log in CRI format', async () => {
    const { status } = await runToCompletion({ mounts: [configMount(true)] });
    const first = readFileSync(status.logPath, 'utf8').split('\n')[0] ?? '';
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F batch: pod unknown reading \/config\/config.txt$/);
  });

  it('refuses a write to a read-only mount', async () => {
    const { status, lines } = await runToCompletion({ args: ['--write', '/config/written.txt'], mounts: [configMount(true)] });
    expect(status.exitCode).toBe(3);
    expect(lines).toContain('batch: write to /config/written.txt refused: ROFS');
    expect(existsSync(join(configDir, 'written.txt'))).toBe(false);
  });

  it('allows a write to a read-write mount', async () => {
    const { status, lines } = await runToCompletion({ args: ['--write', '/out/written.txt'], mounts: [configMount(true), { hostPath: outDir, containerPath: '/out', readOnly: false }] });
    expect(status.exitCode).toBe(0);
    expect(lines).toContain('batch: wrote /out/written.txt');
    expect(readFileSync(join(outDir, 'written.txt'), 'utf8')).toBe('written by batch\n');
  });

  it('keeps a guest inside its mounts', async () => {
    const { status, lines } = await runToCompletion({ args: ['--config', '/config/../../etc/passwd'], mounts: [configMount(true)] });
    expect(status.exitCode).toBe(2);
    expect(lines.some((l) => l.startsWith('batch: cannot read /config/../../etc/passwd'))).toBe(true);
  });

  it('lists containers by sandbox', async () => {
    await runToCompletion({ mounts: [configMount(true)] });
    const all = await runtime.listContainers();
    const some = all[0];
    expect(some).toBeDefined();
    const mine = await runtime.listContainers({ sandboxId: some?.sandboxId });
    expect(mine.map((c) => c.id)).toEqual([some?.id]);
    await waitFor(async () => (await runtime.listContainers({ state: 'exited' })).length === all.length);
  });
});
