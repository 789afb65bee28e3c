// Wasm image pulls: references by search path, file:// and loopback http://, content
// addressing, and typed errors for missing, invalid and forbidden images.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagePullError } from '@kite/cri';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { ensureBuilt, examplesDir, removeTempDirs, tempDir } from './helpers.js';

const HELLO = 'hello-http/build/hello-http-v1.wasm';

afterAll(() => removeTempDirs());

describe('wasm runtime: images', () => {
  let runtime: WasmRuntime;
  let work: string;
  let server: Server;
  let baseUrl: string;
  let helloDigest: string;

  beforeAll(async () => {
    ensureBuilt();
    work = tempDir('images');
    writeFileSync(join(work, 'not-wasm.wasm'), 'this is plain text, not WebAssembly\n');
    writeFileSync(join(work, 'bad-body.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff]));
    const hello = readFileSync(join(examplesDir, HELLO));
    helloDigest = createHash('sha256').update(hello).digest('hex');
    server = createServer((req, res) => (req.url === '/hello.wasm' ? res.end(hello) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.77.4.1', resolve));
    baseUrl = `http://127.77.4.1:${(server.address() as AddressInfo).port}`;
    runtime = new WasmRuntime({ imageSearchPath: [work, examplesDir], imageCacheDir: join(work, 'cache') });
  });
  afterAll(async () => {
    await runtime.close();
    server.close();
  });

  it.each([
    { name: 'a path relative to the search path', ref: () => HELLO },
    { name: 'an absolute path', ref: () => join(examplesDir, HELLO) },
    { name: 'a file:// URL', ref: () => pathToFileURL(join(examplesDir, HELLO)).href },
    { name: 'a loopback http:// URL', ref: () => `${baseUrl}/hello.wasm` },
  ])('pulls $name to the sha256 of its bytes', async ({ ref }) => {
    const id = await runtime.pullImage(ref());
    expect(id).toBe(`sha256:${helloDigest}`);
    expect(readFileSync(join(work, 'cache/blobs/sha256', `${helloDigest}.wasm`)).length).toBeGreaterThan(0);
    expect((await runtime.imageStatus(ref()))?.id).toBe(id);
  });

  it.each([
    { name: 'a missing file', ref: 'nowhere/missing.wasm', reason: 'ErrImagePull', message: /not found/ },
    { name: 'a non-Wasm file', ref: 'not-wasm.wasm', reason: 'ImageInspectError', message: /not a WebAssembly binary/ },
    { name: 'a truncated module', ref: 'bad-body.wasm', reason: 'ImageInspectError', message: /not a valid WebAssembly module/ },
    { name: 'a 404 from the URL', ref: 'http://127.77.4.1:1/none.wasm', reason: 'ErrImagePull', message: /fetch failed|HTTP 404/ },
    { name: 'a non-loopback URL', ref: 'http://192.0.2.1/app.wasm', reason: 'InvalidImageName', message: /only loopback/ },
    { name: 'an unsupported scheme', ref: 'oci://registry/app.wasm', reason: 'InvalidImageName', message: /not supported/ },
    { name: 'a relative path climbing out', ref: '../etc/app.wasm', reason: 'InvalidImageName', message: /'\.\.'/ },
    { name: 'an empty reference', ref: ' ', reason: 'InvalidImageName', message: /empty/ },
  ])('rejects $name with a typed $reason', async ({ ref, reason, message }) => {
    const error: unknown = await runtime.pullImage(ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagePullError);
    expect(error).toMatchObject({ reason, message: expect.stringMatching(message) });
    expect(await runtime.imageStatus(ref)).toBeUndefined();
  });

  it('refuses to create a container from an image that was not pulled', async () => {
    const sandbox = await runtime.runPodSandbox({ uid: 'u', name: 'p', namespace: 'default', podIP: '127.77.4.2', logDirectory: join(work, 'logs') });
    const create = runtime.createContainer(sandbox, { name: 'c', image: 'spin/build/spin.wasm', command: [], args: [], env: [], mounts: [], ports: [], logPath: 'c.log' });
    await expect(create).rejects.toMatchObject({ code: 'FailedPrecondition' });
  });
});

describe('wasm runtime: sandboxes', () => {
  it.each([
    { name: 'a private address', podIP: '10.0.0.5' },
    { name: 'a public address', podIP: '192.0.2.7' },
    { name: 'localhost by name', podIP: 'localhost' },
    { name: 'IPv6 loopback', podIP: '::1' },
  ])('refuses a pod IP that is not IPv4 loopback: $name', async ({ podIP }) => {
    const runtime = new WasmRuntime({ imageSearchPath: [], imageCacheDir: tempDir('sandbox-cache'), warmWorkers: 0 });
    await expect(runtime.runPodSandbox({ uid: 'u', name: 'p', namespace: 'default', podIP, logDirectory: tempDir('sandbox-logs') })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await runtime.close();
  });
});
