// The Docker runtime on its own against a real engine, as the kubelet's runtime interface
// (types.ts) promises it: typed errors, idempotent removal, events in order, exec with a timeout,
// a kubelet's scope on a shared engine, and a sandbox that cannot start leaving nothing behind.
// Pod IPs 127.64.68.x (subnet 68 belongs to these tests).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Dockerode from 'dockerode';
import { waitFor } from '@kite/testing';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { ensureBusyboxImage } from '../../src/runtime/docker/local-images.js';
import { isRuntimeError } from '@kite/cri';
import { ContainerEventType, type ContainerConfig, type ContainerEvent, type PodSandboxConfig } from '@kite/cri';
import { removeKubeletContainers, TEST_LABEL } from './support.js';

const IMAGE = 'kite-test/busybox:s68';
const docker = new Dockerode();
let dir: string;
let rt: DockerRuntime;
let other: DockerRuntime;
const scope = () => ({ node: 'runtime-test', kubeletRoot: join(dir, 'a') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-docker-runtime-'));
  await ensureBusyboxImage(docker, { ref: IMAGE, applets: ['sh', 'sleep', 'echo', 'cat'], labels: { [TEST_LABEL]: 'true' } });
  rt = await DockerRuntime.connect({ scope: scope() });
  other = await DockerRuntime.connect({ scope: { node: 'runtime-test', kubeletRoot: join(dir, 'b') } });
});
afterAll(async () => {
  await rt.close();
  await other.close();
  for (const root of ['a', 'b']) await removeKubeletContainers(docker, join(dir, root));
  await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
function sandboxConfig(ports: number[] = []): PodSandboxConfig {
  n++;
  return { uid: `uid-${n}`, name: `pod-${n}`, namespace: 'default', podIP: `127.64.68.${n + 1}`, logDirectory: join(dir, 'logs', String(n)), portMappings: ports.map((containerPort) => ({ containerPort })) };
}
const config = (command: string[], o: Partial<ContainerConfig> = {}): ContainerConfig => ({ name: 'c', image: IMAGE, command, args: [], env: [], mounts: [], ports: [], logPath: 'c/0.log', ...o });
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isRuntimeError(e) ? e.code : String(e)));

describe('typed errors and idempotence', () => {
  it.each([
    { name: 'status of an unknown container', call: () => rt.containerStatus('f'.repeat(64)), want: 'NotFound' },
    { name: 'status of a Wasm-style id', call: () => rt.containerStatus('0123456789abcdef0123456789abcdef'), want: 'NotFound' },
    { name: 'status of an unknown sandbox', call: () => rt.podSandboxStatus('f'.repeat(64)), want: 'NotFound' },
    { name: 'create in an unknown sandbox', call: () => rt.createContainer('f'.repeat(64), config(['true'])), want: 'NotFound' },
    { name: 'remove an unknown container', call: () => rt.removeContainer('f'.repeat(64)), want: 'ok' },
    { name: 'remove an unknown sandbox', call: () => rt.removePodSandbox('f'.repeat(64)), want: 'ok' },
  ])('$name: $want', async ({ call, want }) => {
    expect(await code(call())).toBe(want);
  });

  it('a missing image is FailedPrecondition; a stopped sandbox takes no containers', async () => {
    const sb = await rt.runPodSandbox(sandboxConfig());
    expect(await code(rt.createContainer(sb, config(['true'], { image: 'kite-test/not-pulled:1' })))).toBe('FailedPrecondition');
    await rt.stopPodSandbox(sb);
    expect((await rt.podSandboxStatus(sb)).state).toBe('notready');
    expect(await code(rt.createContainer(sb, config(['true'])))).toBe('FailedPrecondition');
    await rt.removePodSandbox(sb);
    await rt.removePodSandbox(sb);
    expect(await code(rt.podSandboxStatus(sb))).toBe('NotFound');
  });
});

describe('containers', () => {
  it('report created, started, stopped and deleted events in order, with the exit', async () => {
    const events: ContainerEvent[] = [];
    const off = rt.onContainerEvent((e) => events.push(e));
    const sb = await rt.runPodSandbox(sandboxConfig());
    const id = await rt.createContainer(sb, config(['sh', '-c', 'echo bye; exit 3']));
    await rt.startContainer(id);
    await waitFor(() => events.some((e) => e.containerId === id && e.type === ContainerEventType.Stopped), { timeoutMs: 10_000, message: 'Stopped event' });
    const st = await rt.containerStatus(id);
    expect(st).toMatchObject({ state: 'exited', exitCode: 3, reason: 'Error', sandboxId: sb });
    await rt.stopContainer(id, 5);
    await rt.removePodSandbox(sb);
    await waitFor(() => events.some((e) => e.containerId === id && e.type === ContainerEventType.Deleted), { timeoutMs: 10_000, message: 'Deleted event' });
    off();
    const mine = events.filter((e) => e.containerId === id);
    expect(mine.map((e) => e.type)).toEqual([ContainerEventType.Created, ContainerEventType.Started, ContainerEventType.Stopped, ContainerEventType.Deleted]);
    expect(mine[2]?.status).toMatchObject({ exitCode: 3, sandboxId: sb });
    expect(await code(rt.startContainer(id))).toBe('NotFound');
  });

  it('exec returns exit code and output, and gives up after its timeout', async () => {
    const sb = await rt.runPodSandbox(sandboxConfig());
    const id = await rt.createContainer(sb, config(['sleep', '3600'], { env: [{ name: 'GREETING', value: 'hi' }] }));
    await rt.startContainer(id);
    const r = await rt.execSync(id, ['sh', '-c', 'echo $GREETING; echo oops >&2; exit 4'], 5);
    expect({ exitCode: r.exitCode, stdout: Buffer.from(r.stdout).toString(), stderr: Buffer.from(r.stderr).toString() }).toEqual({ exitCode: 4, stdout: 'hi\n', stderr: 'oops\n' });
    const t0 = Date.now();
    expect(await code(rt.execSync(id, ['sleep', '30'], 1))).toBe('Internal');
    expect(Date.now() - t0).toBeLessThan(5000);
    await rt.removePodSandbox(sb);
  });
});

describe('sandboxes', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(8080, '127.64.68.200', r));
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('a sandbox whose port is taken fails to start and leaves no container', async () => {
    const cfg = { ...sandboxConfig([8080]), podIP: '127.64.68.200' };
    expect(await code(rt.runPodSandbox(cfg))).toBe('Internal');
    expect((await rt.listPodSandboxes()).filter((s) => s.config.uid === cfg.uid)).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.uid=${cfg.uid}`] } })).toEqual([]);
  });

  it('each kubelet sees only its own sandboxes and containers on a shared engine', async () => {
    const sb = await rt.runPodSandbox(sandboxConfig());
    const id = await rt.createContainer(sb, config(['sleep', '3600']));
    expect((await rt.listPodSandboxes()).map((s) => s.id)).toContain(sb);
    expect((await other.listPodSandboxes()).map((s) => s.id)).not.toContain(sb);
    expect(await other.listContainers()).toEqual([]);
    expect(await code(other.containerStatus(id))).toBe('NotFound');
    expect((await rt.listContainers({ sandboxId: sb, state: 'created' })).map((c) => c.id)).toEqual([id]);
    await rt.removePodSandbox(sb);
  });
});
