// The hollow runtime (the same lifecycle as a real runtime, with nothing running) and the
// choice of runtime for a pod.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLLOW_CPU_CORES, HOLLOW_MEMORY_BYTES, HollowRuntime } from '../../src/runtime/hollow/hollow-runtime.js';
import type { ContainerEvent } from '@kite/cri';
import { containerConfig, sandboxConfig, waitFor } from './helpers.js';

describe('hollow runtime', () => {
  it('runs a pod through its lifecycle and emits events', async () => {
    const runtime = new HollowRuntime();
    const events: ContainerEvent[] = [];
    runtime.onContainerEvent((e) => events.push(e));
    const image = await runtime.pullImage('anything:latest');
    expect(image).toMatch(/^sha256:[0-9a-f]{64}$/);
    const sandbox = await runtime.runPodSandbox(sandboxConfig('p', '127.77.5.1', join(tmpdir(), 'kite-hollow-logs')));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'c', image: 'anything:latest' }));
    expect((await runtime.containerStatus(id)).state).toBe('created');
    await runtime.startContainer(id);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'running', imageRef: image });
    expect((await runtime.execSync(id, ['true'], 1)).exitCode).toBe(0);
    expect(await runtime.listContainers({ sandboxId: sandbox })).toHaveLength(1);
    await runtime.stopContainer(id, 30);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    await runtime.removePodSandbox(sandbox);
    await waitFor(() => events.length === 4);
    expect(events.map((e) => e.type)).toEqual(['ContainerCreated', 'ContainerStarted', 'ContainerStopped', 'ContainerDeleted']);
    await expect(runtime.containerStatus(id)).rejects.toMatchObject({ code: 'NotFound' });
    expect(await runtime.listPodSandboxes()).toEqual([]);
  });

  it('reports one millicore and 1 MiB for each running container, nothing for stopped ones', async () => {
    const runtime = new HollowRuntime();
    await runtime.pullImage('anything:latest');
    const sandbox = await runtime.runPodSandbox(sandboxConfig('p', '127.77.5.1', join(tmpdir(), 'kite-hollow-logs')));
    const id = await runtime.createContainer(sandbox, containerConfig({ name: 'c', image: 'anything:latest' }));
    expect(await runtime.listContainerStats()).toEqual([]);
    await runtime.startContainer(id);
    const startedAt = (await runtime.containerStatus(id)).startedAt?.getTime() ?? 0;
    await waitFor(() => Date.now() > startedAt + 20);
    const [stats] = await runtime.listContainerStats();
    const elapsedNs = ((stats?.cpu.timestamp.getTime() ?? 0) - startedAt) * 1e6;
    expect(stats).toMatchObject({ id, sandboxId: sandbox, name: 'c', memory: { workingSetBytes: HOLLOW_MEMORY_BYTES } });
    expect(stats?.cpu.usageCoreNanoSeconds).toBe(Math.round(elapsedNs * HOLLOW_CPU_CORES));
    await runtime.stopContainer(id, 0);
    expect(await runtime.listContainerStats()).toEqual([]);
    await runtime.close();
  });

  it.each([
    { name: 'unknown sandbox', act: (r: HollowRuntime) => r.createContainer('nope', containerConfig({ name: 'c', image: 'i' })), code: 'NotFound' },
    { name: 'image not pulled', act: async (r: HollowRuntime) => r.createContainer(await r.runPodSandbox(sandboxConfig('p', '127.77.5.2', tmpdir())), containerConfig({ name: 'c', image: 'i' })), code: 'FailedPrecondition' },
    { name: 'empty image name', act: (r: HollowRuntime) => r.pullImage(''), code: 'InvalidArgument' },
  ])('fails with a typed error: $name', async ({ act, code }) => {
    await expect(act(new HollowRuntime())).rejects.toMatchObject({ code });
  });
});
