// The Docker runtime's pure parts, without an engine: how configs become create options, how the
// engine's states become statuses, log and stream framing, the tar writer and the labels.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Dockerode from 'dockerode';
import { RuntimeError } from '@kite/cri';
import type { ContainerConfig, PodSandboxConfig } from '@kite/cri';
import { containerCreateOptions, cpuShares } from '../../src/runtime/docker/container-spec.js';
import { engineMessage, toRuntimeError } from '../../src/runtime/docker/engine.js';
import { FrameDecoder } from '../../src/runtime/docker/frames.js';
import { DockerImages } from '../../src/runtime/docker/images.js';
import { inScope, Label, sandboxConfigOf, sandboxLabels } from '../../src/runtime/docker/labels.js';
import { BUSYBOX_CANDIDATES, isStaticElf } from '../../src/runtime/docker/local-images.js';
import { criRecord, sinceParam } from '../../src/runtime/docker/log-pump.js';
import { sandboxCreateOptions } from '../../src/runtime/docker/sandbox-spec.js';
import { containerStatusOf } from '../../src/runtime/docker/status.js';
import { tarArchive } from '../../src/runtime/docker/tar.js';

const scope = { node: 'n1', kubeletRoot: '/var/lib/kite/n1' };
const sandbox: PodSandboxConfig = { uid: 'u-1', name: 'web', namespace: 'default', podIP: '127.64.1.2', logDirectory: '/tmp/logs', portMappings: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] };
const config = (o: Partial<ContainerConfig> = {}): ContainerConfig => ({ name: 'app', image: 'img:1', command: [], args: [], env: [], mounts: [], ports: [], logPath: 'app/0.log', ...o });
const create = (o: Partial<ContainerConfig>) => containerCreateOptions({ scope, sandboxId: 'sb', sandbox, config: config(o), logPath: '/tmp/logs/app/0.log' });

describe('container create options', () => {
  it.each([
    { name: 'image defaults', o: {}, want: { Entrypoint: undefined, Cmd: undefined } },
    { name: 'command replaces the entrypoint and drops CMD', o: { command: ['sh', '-c', 'x'] }, want: { Entrypoint: ['sh', '-c', 'x'], Cmd: undefined } },
    { name: 'args alone replace CMD', o: { args: ['-v'] }, want: { Entrypoint: undefined, Cmd: ['-v'] } },
    { name: 'both', o: { command: ['app'], args: ['-v'] }, want: { Entrypoint: ['app'], Cmd: ['-v'] } },
  ])('$name', ({ o, want }) => {
    const opts = create(o);
    expect(opts.Entrypoint).toEqual(want.Entrypoint);
    expect(opts.Cmd).toEqual(want.Cmd);
  });

  it.each([
    { o: {}, want: undefined },
    { o: { runAsUser: 1000 }, want: '1000' },
    { o: { runAsUser: 1000, runAsGroup: 3000 }, want: '1000:3000' },
    { o: { runAsGroup: 3000 }, want: '0:3000' },
  ])('user $want', ({ o, want }) => expect(create(o).User).toBe(want));

  it('joins the sandbox and maps env, mounts, limits and labels', () => {
    const opts = create({ env: [{ name: 'A', value: 'b=c' }], mounts: [{ hostPath: '/h', containerPath: '/c', readOnly: true }], memoryLimitBytes: 64 << 20, cpuLimitMillis: 500, readOnlyRootFilesystem: true, attempt: 2 });
    expect(opts.Env).toEqual(['A=b=c']);
    expect(opts.HostConfig).toMatchObject({ NetworkMode: 'container:sb', IpcMode: 'container:sb', Memory: 64 << 20, MemorySwap: 64 << 20, NanoCpus: 500_000_000, ReadonlyRootfs: true });
    expect(opts.HostConfig?.Mounts).toEqual([{ Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }]);
    expect(opts.Labels).toMatchObject({ [Label.PodUid]: 'u-1', [Label.ContainerName]: 'app', [Label.Attempt]: '2', [Label.SandboxId]: 'sb', [Label.LogPath]: '/tmp/logs/app/0.log', [Label.Node]: 'n1' });
    expect(opts.name).toMatch(/^k8s_app_web_default_u-1_2_[0-9a-f]{6}$/);
  });

  it.each([
    { o: {}, want: 2 },
    { o: { cpuRequestMillis: 250 }, want: 256 },
    { o: { cpuLimitMillis: 1000 }, want: 1024 },
    { o: { cpuRequestMillis: 1, cpuLimitMillis: 1000 }, want: 2 },
  ])('cpu shares $want', ({ o, want }) => expect(cpuShares(config(o))).toBe(want));
});

describe('sandbox create options', () => {
  it('publishes every container port on the pod IP', () => {
    const opts = sandboxCreateOptions(scope, sandbox, 'pause:1');
    expect(opts.HostConfig?.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.64.1.2', HostPort: '8080' }], '53/udp': [{ HostIp: '127.64.1.2', HostPort: '53' }] });
    expect(opts.HostConfig?.IpcMode).toBe('shareable');
    expect(sandboxConfigOf(opts.Labels)).toEqual(sandbox);
  });

  it.each(['10.0.0.1', '0.0.0.0', '127.1', 'localhost'])('refuses pod IP %s', (podIP) => {
    expect(() => sandboxCreateOptions(scope, { ...sandbox, podIP }, 'pause:1')).toThrow(RuntimeError);
  });
});

describe('labels', () => {
  const labels = sandboxLabels(scope, sandbox);
  it.each([
    { name: 'own sandbox', labels, kind: 'sandbox' as const, want: true },
    { name: 'wrong kind', labels, kind: 'container' as const, want: false },
    { name: 'another kubelet on the same engine', labels: { ...labels, [Label.KubeletRoot]: '/other' }, kind: 'sandbox' as const, want: false },
    { name: 'not ours', labels: {}, kind: 'sandbox' as const, want: false },
  ])('$name', ({ labels: l, kind, want }) => expect(inScope(l, scope, kind)).toBe(want));

  it.each<Record<string, string> | undefined>([undefined, {}, { [Label.SandboxConfig]: '{not json' }, { [Label.SandboxConfig]: '{"uid":1}' }])('a mangled sandbox config is ignored: %j', (l) => {
    expect(sandboxConfigOf(l)).toBeUndefined();
  });
});

type State = Dockerode.ContainerInspectInfo['State'];
const ZERO = '0001-01-01T00:00:00Z';
function inspected(state: Partial<State>): Dockerode.ContainerInspectInfo {
  const full: State = { Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:01.5Z', FinishedAt: '2026-01-01T00:00:02Z', ...state };
  return { Id: 'c'.repeat(64), Created: '2026-01-01T00:00:00Z', Name: '/x', Image: 'sha256:abc', State: full, Config: { Image: 'img:1', Labels: { [Label.ContainerName]: 'app', [Label.SandboxId]: 'sb', [Label.LogPath]: '/l' } } } as unknown as Dockerode.ContainerInspectInfo;
}

describe('container status from the engine', () => {
  it.each([
    { name: 'created', state: { Status: 'created', StartedAt: ZERO, FinishedAt: ZERO }, want: { state: 'created', exitCode: undefined, reason: undefined } },
    { name: 'running', state: { Status: 'running', Running: true, FinishedAt: ZERO }, want: { state: 'running', exitCode: undefined, reason: undefined } },
    { name: 'exit 0', state: {}, want: { state: 'exited', exitCode: 0, reason: 'Completed' } },
    { name: 'exit 1', state: { ExitCode: 1 }, want: { state: 'exited', exitCode: 1, reason: 'Error' } },
    { name: 'killed after grace', state: { ExitCode: 137 }, want: { state: 'exited', exitCode: 137, reason: 'Error' } },
    { name: 'OOM', state: { ExitCode: 137, OOMKilled: true }, want: { state: 'exited', exitCode: 137, reason: 'OOMKilled' } },
    { name: 'start failed', state: { Status: 'created', ExitCode: 127, Error: 'exec: "x": not found', StartedAt: ZERO, FinishedAt: ZERO }, want: { state: 'exited', exitCode: 128, reason: 'StartError' } },
  ])('$name', ({ state, want }) => {
    const st = containerStatusOf(inspected(state as Partial<State>), 'docker://sha256:abc');
    expect({ state: st.state, exitCode: st.exitCode, reason: st.reason }).toEqual(want);
    expect(st).toMatchObject({ name: 'app', sandboxId: 'sb', logPath: '/l', image: 'img:1', imageRef: 'docker://sha256:abc' });
    if (want.state === 'exited') expect(st.finishedAt).toBeInstanceOf(Date);
  });
});

describe('log framing', () => {
  const frame = (stream: 'stdout' | 'stderr', text: string) => ({ stream, data: Buffer.from(text) });
  it.each([
    { name: 'a full line', f: frame('stdout', '2026-01-01T00:00:00.123456789Z hello\n'), want: '2026-01-01T00:00:00.123456789Z stdout F hello\n' },
    { name: 'a piece of a long line', f: frame('stderr', '2026-01-01T00:00:00.123456789Z abc'), want: '2026-01-01T00:00:00.123456789Z stderr P abc\n' },
    { name: 'an empty line', f: frame('stdout', '2026-01-01T00:00:00.123456789Z \n'), want: '2026-01-01T00:00:00.123456789Z stdout F \n' },
  ])('$name', ({ f, want }) => expect(criRecord(f)?.record.toString()).toBe(want));

  it('skips a frame without a timestamp', () => expect(criRecord(frame('stdout', 'nospace'))).toBeUndefined());

  it.each([
    { time: '2026-01-01T00:00:01.000000005Z', want: '1767225601.000000005' },
    { time: '2026-01-01T00:00:01Z', want: '1767225601.000000000' },
    { time: 'garbage', want: '0' },
  ])('since $time', ({ time, want }) => expect(sinceParam(time)).toBe(want));

  it('demultiplexes frames cut anywhere', () => {
    const mk = (id: number, text: string) => Buffer.concat([Buffer.from([id, 0, 0, 0]), sizeOf(text), Buffer.from(text)]);
    const all = Buffer.concat([mk(1, 'out one'), mk(2, 'err'), mk(1, '')]);
    for (const cut of [1, 5, 8, 9, 15, all.length - 1]) {
      const d = new FrameDecoder();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([['stdout', 'out one'], ['stderr', 'err'], ['stdout', '']]);
    }
  });
});

function sizeOf(text: string): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(Buffer.byteLength(text));
  return b;
}

describe('tar writer and busybox check', () => {
  it('writes an archive that tar reads back', () => {
    const archive = tarArchive([
      { type: 'dir', path: 'bin' },
      { type: 'file', path: 'bin/tool', content: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { type: 'symlink', path: 'bin/alias', target: 'tool' },
    ]);
    expect(archive.length % 512).toBe(0);
    const listing = execFileSync('tar', ['-tvf', '-'], { input: archive }).toString();
    expect(listing).toMatch(/^drwxr-xr-x root\/root .* bin\/$/m);
    expect(listing).toMatch(/^-rwxr-xr-x root\/root +10 .* bin\/tool$/m);
    expect(listing).toMatch(/^lrwxrwxrwx root\/root .* bin\/alias -> tool$/m);
  });

  it('tells a static binary from a dynamic one', () => {
    expect(isStaticElf(readFileSync(process.execPath))).toBe(false);
    expect(isStaticElf(Buffer.from('not an elf file at all, just text, long enough to have a header........'))).toBe(false);
    const busybox = BUSYBOX_CANDIDATES.find((p) => existsSync(p));
    if (busybox) expect(isStaticElf(readFileSync(busybox))).toBe(true);
  });
});

describe('engine errors', () => {
  const err = (statusCode: number, message: string, json?: unknown) => Object.assign(new Error(message), { statusCode, json });
  it.each([
    { e: err(404, '(HTTP code 404) no such container - No such container: x ', { message: 'No such container: x' }), code: 'NotFound', msg: 'No such container: x' },
    { e: err(409, '(HTTP code 409) unexpected - conflict '), code: 'FailedPrecondition', msg: 'conflict' },
    { e: err(400, 'bad', { message: 'invalid reference format' }), code: 'InvalidArgument', msg: 'invalid reference format' },
    { e: err(500, '(HTTP code 500) server error - Get "https://registry": no such host '), code: 'Internal', msg: 'Get "https://registry": no such host' },
  ])('$code', ({ e, code, msg }) => {
    expect(engineMessage(e)).toBe(msg);
    expect(toRuntimeError(e, 'doing it')).toMatchObject({ code, message: `doing it: ${msg}` });
  });
});

describe('image pulls never hang', () => {
  it('a registry that never answers fails the pull as ErrImagePull once it has been silent', async () => {
    // A fake engine whose pull answers 200 and then says nothing.
    const dir = await mkdtemp(join(tmpdir(), 'kite-fake-engine-'));
    const socketPath = join(dir, 'docker.sock');
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/images/create')) res.writeHead(200, { 'Content-Type': 'application/json' });
      else res.writeHead(404).end('{"message":"no"}');
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const images = new DockerImages(new Dockerode({ socketPath }), 300);
      const t0 = Date.now();
      await expect(images.pull('kite-test/slow:1')).rejects.toMatchObject({ reason: 'ErrImagePull', message: expect.stringMatching(/"kite-test\/slow:1".*no progress/) });
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
