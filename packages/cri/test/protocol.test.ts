// The runtime protocol over a real Unix socket: serveRuntime (a runtime's end) and RemoteRuntime
// (the kubelet's end) against the hollow-like runtime below, plus the failure cases a runtime in
// another language could hit: a bad line, an unknown method, a wrong protocol version.
import { createConnection, createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerEventHub, ContainerEventType, isRuntimeError, notFound, notReadyReason, readyStatus, RemoteRuntime, RUNTIME_API_VERSION, serveRuntime, versionInfo, type ContainerEvent, type ContainerRuntime, type ContainerStatus } from '../src/index.js';

/** The smallest runtime: containers exit 0 as soon as they start. */
function tinyRuntime(): ContainerRuntime {
  const hub = new ContainerEventHub();
  const containers = new Map<string, ContainerStatus>();
  let next = 0;
  const get = (id: string) => {
    const c = containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  };
  const unimplemented = () => Promise.reject(new Error('not in this test'));
  return {
    name: 'tiny',
    version: async () => versionInfo('tiny', '1'),
    status: async () => readyStatus(),
    runPodSandbox: async () => 'sb',
    stopPodSandbox: async () => undefined,
    removePodSandbox: async () => undefined,
    podSandboxStatus: unimplemented,
    listPodSandboxes: async () => [],
    createContainer: async (sandboxId, cfg) => {
      const id = `c${next++}`;
      containers.set(id, { id, sandboxId, name: cfg.name, state: 'created', createdAt: new Date(), image: cfg.image, imageRef: 'sha256:0', logPath: '/dev/null' });
      return id;
    },
    startContainer: async (id) => {
      const c = get(id);
      Object.assign(c, { state: 'exited', startedAt: new Date(), finishedAt: new Date(), exitCode: 0, reason: 'Completed' });
      hub.emit({ type: ContainerEventType.Stopped, containerId: id, sandboxId: c.sandboxId, at: new Date(), status: { ...c } });
    },
    stopContainer: async () => undefined,
    removeContainer: async (id) => void containers.delete(id),
    containerStatus: async (id) => ({ ...get(id) }),
    listContainers: async () => [...containers.values()],
    listContainerStats: async () => [],
    execSync: async () => ({ exitCode: 3, stdout: new Uint8Array([104, 105]), stderr: new Uint8Array() }),
    pullImage: async () => 'sha256:0',
    imageStatus: async () => undefined,
    listImages: async () => [],
    removeImage: async () => undefined,
    onContainerEvent: (l) => hub.subscribe(l),
    close: async () => undefined,
  };
}

/** Sends raw lines and collects the lines that come back until `count` arrived. */
function rawExchange(socketPath: string, lines: string[], count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    const got: unknown[] = [];
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        got.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (got.length >= count) {
        sock.destroy();
        resolve(got);
      }
    });
    sock.on('error', reject);
    sock.on('connect', () => sock.write(lines.map((l) => `${l}\n`).join('')));
  });
}

let dir: string;
let socketPath: string;
let server: Server;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-cri-'));
  socketPath = join(dir, 'tiny.sock');
  server = await serveRuntime(tinyRuntime(), socketPath);
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('serveRuntime and RemoteRuntime', () => {
  it('connect checks the version; calls carry dates and bytes; events arrive after subscribe', async () => {
    const rt = new RemoteRuntime({ name: 'tiny', socketPath });
    await rt.connect();
    expect(rt.runtimeVersion).toEqual({ runtimeApiVersion: RUNTIME_API_VERSION, runtimeName: 'tiny', runtimeVersion: '1' });
    expect(notReadyReason(await rt.status())).toBeUndefined();
    const events: ContainerEvent[] = [];
    rt.onContainerEvent((e) => events.push(e));
    const id = await rt.createContainer('sb', { name: 'main', image: 'x', command: [], args: [], env: [], mounts: [], ports: [], logPath: 'main/0.log' });
    await rt.startContainer(id);
    const st = await rt.containerStatus(id);
    expect(st.createdAt).toBeInstanceOf(Date);
    expect(st).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    const exec = await rt.execSync(id, ['true'], 1);
    expect(Buffer.from(exec.stdout).toString()).toBe('hi');
    await expect.poll(() => events.map((e) => e.type)).toEqual([ContainerEventType.Stopped]);
    expect(events[0]?.at).toBeInstanceOf(Date);
    await rt.close();
  });

  it('a NotFound from the runtime arrives as a RuntimeError with its code', async () => {
    const rt = new RemoteRuntime({ name: 'tiny', socketPath });
    await rt.connect();
    const err: unknown = await rt.containerStatus('nope').catch((e: unknown) => e);
    expect(isRuntimeError(err) && err.code).toBe('NotFound');
    await rt.close();
  });

  it('an unknown method answers Unimplemented; a line that is not JSON is answered and the connection closed', async () => {
    const [answer] = await rawExchange(socketPath, [JSON.stringify({ id: 1, method: 'attach', args: [] })], 1);
    expect(answer).toEqual({ id: 1, error: { name: 'RuntimeError', code: 'Unimplemented', message: 'unknown method attach' } });
    const [bad] = await rawExchange(socketPath, ['{not json'], 1);
    expect(bad).toMatchObject({ id: 0, error: { name: 'RuntimeError', code: 'InvalidArgument' } });
    // The server is still there for others.
    const [version] = await rawExchange(socketPath, [JSON.stringify({ id: 2, method: 'version', args: [] })], 1);
    expect(version).toMatchObject({ id: 2, result: { runtimeApiVersion: RUNTIME_API_VERSION } });
  });

  it('refuses a runtime that speaks another protocol version', async () => {
    const other = join(dir, 'other.sock');
    const srv = createServer((s) => s.on('data', (d) => {
      const req = JSON.parse(d.toString().trim()) as { id: number };
      s.write(`${JSON.stringify({ id: req.id, result: { runtimeApiVersion: 'kite.runtime.v0', runtimeName: 'old', runtimeVersion: '0' } })}\n`);
    }));
    await new Promise<void>((r) => srv.listen(other, r));
    const rt = new RemoteRuntime({ name: 'old', socketPath: other });
    await expect(rt.connect()).rejects.toThrow(`speaks protocol kite.runtime.v0, not ${RUNTIME_API_VERSION}`);
    expect(rt.connected).toBe(false);
    srv.close();
  });

  it('a call the runtime never answers fails after the request timeout', async () => {
    const silent = join(dir, 'silent.sock');
    let first = true;
    const srv = createServer((s) => s.on('data', (d) => {
      // Answers the handshake (version, subscribe), then nothing.
      for (const line of d.toString().trim().split('\n')) {
        const req = JSON.parse(line) as { id: number; method: string };
        if (req.method === 'version' || (req.method === 'subscribe' && first)) s.write(`${JSON.stringify({ id: req.id, result: req.method === 'version' ? versionInfo('silent', '0') : null })}\n`);
        if (req.method === 'subscribe') first = false;
      }
    }));
    await new Promise<void>((r) => srv.listen(silent, r));
    const rt = new RemoteRuntime({ name: 'silent', socketPath: silent, requestTimeoutMs: 200 });
    await rt.connect();
    await expect(rt.listContainers()).rejects.toThrow('runtime silent: listContainers did not answer within 200 ms');
    await rt.close();
    srv.close();
  });
});

describe('notReadyReason', () => {
  it('names the false and the missing conditions', () => {
    expect(notReadyReason({ conditions: [{ type: 'RuntimeReady', status: false, reason: 'Down', message: 'engine gone' }] })).toBe('RuntimeReady=false reason:Down message:engine gone, NetworkReady missing');
    expect(notReadyReason(readyStatus())).toBeUndefined();
  });
});
