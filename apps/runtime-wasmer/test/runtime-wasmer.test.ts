// The plugin as the kubelet sees it: a real process on a Unix socket, driven through RemoteRuntime,
// running the examples/wasm-pods images (run `npx turbo run build` first) in real child processes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerEventType, EXIT_CODE_KILLED, type ContainerEvent, type PodSandboxConfig, type RuntimeError } from '@kite/cri';
import { waitFor } from '@kite/testing';
import { alive, childPids, container, logLines, startPlugin, stopPlugin, waitExited, type Plugin } from './helpers.js';

const BATCH = 'batch/build/batch.wasm';
const SPIN = 'spin/build/spin.wasm';
const MEMHOG = 'memhog/build/memhog.wasm';
/** memhog's limit in its pod.yaml. */
const MEMHOG_LIMIT = 32 * 1024 * 1024;
/** How much later than its grace period a stop may finish (SIGKILL, process exit, one RPC). */
const STOP_SLACK_MS = 1500;

let p: Plugin;
let sandboxId: string;
let configDir: string;
let dataDir: string;

function sandboxConfig(name: string): PodSandboxConfig {
  return { uid: `uid-${name}`, name, namespace: 'default', podIP: '127.0.0.9', logDirectory: join(p.dir, 'logs', name) };
}

beforeAll(async () => {
  p = await startPlugin();
  configDir = join(p.dir, 'config');
  dataDir = join(p.dir, 'data');
  mkdirSync(configDir);
  mkdirSync(dataDir);
  writeFileSync(join(configDir, 'config.txt'), 'greeting=hello from a ConfigMap\nmode=demo\n');
  for (const image of [BATCH, SPIN, MEMHOG]) await p.rt.pullImage(image);
  sandboxId = await p.rt.runPodSandbox(sandboxConfig('batch'));
});
afterAll(async () => {
  await stopPlugin(p);
});

it('answers version and status as a kite.runtime.v1 runtime', async () => {
  expect(await p.rt.version()).toEqual({ runtimeApiVersion: 'kite.runtime.v1', runtimeName: 'kite-wasmer', runtimeVersion: '0.16.0' });
  expect((await p.rt.status()).conditions.every((c) => c.status)).toBe(true);
});

describe('the batch example', () => {
  const mounts = () => [{ hostPath: configDir, containerPath: '/config', readOnly: true }];

  it('runs to completion with its args and env, logging in CRI format, then runs again as attempt 1', async () => {
    const events: ContainerEvent[] = [];
    const unsubscribe = p.rt.onContainerEvent((e) => events.push(e));
    const config = container('batch', BATCH, { command: ['batch', '--config'], args: ['/config/config.txt'], env: [{ name: 'POD_NAME', value: 'batch-1' }], mounts: mounts(), memoryLimitBytes: MEMHOG_LIMIT, cpuLimitMillis: 500 });
    const first = await p.rt.createContainer(sandboxId, config);
    await p.rt.startContainer(first);
    const done = await waitExited(p.rt, first);
    expect(done).toMatchObject({ exitCode: 0, reason: 'Completed', imageRef: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(logLines(done)).toEqual([
      { stream: 'stdout', line: 'batch: pod batch-1 reading /config/config.txt' },
      { stream: 'stdout', line: 'config: greeting=hello from a ConfigMap' },
      { stream: 'stdout', line: 'config: mode=demo' },
      { stream: 'stdout', line: 'batch: done' },
    ]);
    expect(readFileSync(done.logPath, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F batch: pod batch-1/);
    await waitFor(() => events.some((e) => e.containerId === first && e.type === ContainerEventType.Stopped), { message: 'the Stopped event' });
    expect(events.filter((e) => e.containerId === first).map((e) => e.type)).toEqual([ContainerEventType.Created, ContainerEventType.Started, ContainerEventType.Stopped]);
    unsubscribe();

    const again = await p.rt.createContainer(sandboxId, { ...config, attempt: 1, logPath: 'batch/1.log', args: ['/config/config.txt', '--fail'] });
    await p.rt.startContainer(again);
    expect(await waitExited(p.rt, again)).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect((await p.rt.listContainers({ sandboxId })).map((c) => c.id)).toEqual(expect.arrayContaining([first, again]));
  });

  it.each([
    { name: 'a read-only mount refuses the write', readOnly: true, exitCode: 3, written: false },
    { name: 'a writable mount takes it, on the host', readOnly: false, exitCode: 0, written: true },
  ])('$name', async ({ readOnly, exitCode, written }) => {
    const name = `write-${readOnly ? 'ro' : 'rw'}`;
    const config = container(name, BATCH, {
      args: ['--config', '/config/config.txt', '--write', '/data/out.txt'],
      mounts: [...mounts(), { hostPath: dataDir, containerPath: '/data', readOnly }],
    });
    const id = await p.rt.createContainer(sandboxId, config);
    await p.rt.startContainer(id);
    const done = await waitExited(p.rt, id);
    expect(done.exitCode).toBe(exitCode);
    let content: string | undefined;
    try {
      content = readFileSync(join(dataDir, 'out.txt'), 'utf8');
    } catch {
      content = undefined;
    }
    expect(content).toBe(written ? 'written by batch\n' : undefined);
    if (!written) expect(logLines(done)).toContainEqual({ stream: 'stderr', line: expect.stringContaining('batch: write to /data/out.txt refused') });
  });

  it('refuses exec with Unimplemented', async () => {
    const [any] = await p.rt.listContainers({ sandboxId });
    await expect(p.rt.execSync(any?.id ?? '', ['sh'], 1)).rejects.toMatchObject({ name: 'RuntimeError', code: 'Unimplemented' } satisfies Partial<RuntimeError>);
  });
});

it('stops a spinning guest within its grace period with exit 137, and counts its CPU meanwhile', async () => {
  const sandbox = await p.rt.runPodSandbox(sandboxConfig('spin'));
  const id = await p.rt.createContainer(sandbox, container('spin', SPIN));
  await p.rt.startContainer(id);
  const stats = await waitFor(async () => (await p.rt.listContainerStats()).find((s) => s.id === id && s.cpu.usageCoreNanoSeconds > 0), { message: 'CPU use of the spinning guest' });
  expect(stats.memory.workingSetBytes).toBeGreaterThan(0);
  const graceSeconds = 2;
  const started = Date.now();
  await p.rt.stopContainer(id, graceSeconds);
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(graceSeconds * 1000 - 50);
  expect(took).toBeLessThan(graceSeconds * 1000 + STOP_SLACK_MS);
  expect(await p.rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: EXIT_CODE_KILLED, reason: 'Error' });
  await p.rt.removePodSandbox(sandbox);
});

it('ends memhog OOMKilled at its memory limit', async () => {
  const sandbox = await p.rt.runPodSandbox(sandboxConfig('memhog'));
  const id = await p.rt.createContainer(sandbox, container('memhog', MEMHOG, { memoryLimitBytes: MEMHOG_LIMIT }));
  await p.rt.startContainer(id);
  const done = await waitExited(p.rt, id);
  expect(done).toMatchObject({ exitCode: EXIT_CODE_KILLED, reason: 'OOMKilled' });
  expect(logLines(done)).toContainEqual({ stream: 'stdout', line: 'memhog: 16 MiB' });
  await p.rt.removePodSandbox(sandbox);
});

it('ends a module whose initial memory is above its limit OOMKilled, without starting it', async () => {
  const id = await p.rt.createContainer(sandboxId, container('tiny', BATCH, { memoryLimitBytes: 1024 }));
  await p.rt.startContainer(id);
  expect(await p.rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: EXIT_CODE_KILLED, reason: 'OOMKilled', message: expect.stringContaining('exceeds the limit') });
});

it('leaves no child process alive when the plugin is killed with SIGKILL', async () => {
  const victim = await startPlugin();
  try {
    await victim.rt.pullImage(SPIN);
    const sandbox = await victim.rt.runPodSandbox({ ...sandboxConfig('orphans'), logDirectory: join(victim.dir, 'logs') });
    for (const name of ['spin-a', 'spin-b']) {
      const id = await victim.rt.createContainer(sandbox, container(name, SPIN));
      await victim.rt.startContainer(id);
    }
    const pid = victim.proc.child.pid ?? 0;
    const children = childPids(pid);
    expect(children).toHaveLength(2);
    await victim.proc.kill();
    await waitFor(() => children.every((c) => !alive(c)), { timeoutMs: 5000, message: 'the children of the killed plugin to exit' });
  } finally {
    await stopPlugin(victim);
  }
});
