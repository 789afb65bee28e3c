// The plugin's pure pieces, on real files: how a config becomes argv and mounts, and what the
// host filesystem behind the SDK's mounts lets a guest reach.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandName, guestJob } from '../src/container-plan.js';
import { HostFileSystem } from '../src/guest/host-fs.js';
import type { ContainerConfig } from '@kite/cri';

function config(extra: Partial<ContainerConfig>): ContainerConfig {
  return { name: 'c', image: 'batch/build/batch.wasm', command: [], args: [], env: [], mounts: [], ports: [], logPath: 'c/0.log', ...extra };
}

describe('commandName (argv[0])', () => {
  it.each([
    { name: 'defaults to the image file name', command: [], want: 'batch.wasm' },
    { name: 'is command[0] when the SDK accepts it', command: ['batch', '-x'], want: 'batch' },
    { name: 'is the file name of a path', command: ['/usr/bin/batch'], want: 'batch' },
  ])('$name', ({ command, want }) => {
    expect(commandName(config({ command }))).toBe(want);
  });

  it('refuses a name the SDK cannot take', () => {
    expect(() => commandName(config({ command: ['my app'] }))).toThrow(/command name/);
  });
});

describe('guestJob', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-wasmer-plan-'));
  });

  it('puts command[1:] before args, adds PWD, and sets the cwd only inside a mount', () => {
    const job = guestJob(config({ command: ['batch', '--config'], args: ['/data/c.txt'], env: [{ name: 'A', value: '1' }], workingDir: '/data/sub', mounts: [{ hostPath: dir, containerPath: '/data/', readOnly: true }] }), '/m.wasm', '/log');
    expect(job).toMatchObject({ command: 'batch', args: ['--config', '/data/c.txt'], env: { A: '1', PWD: '/data/sub' }, cwd: '/data/sub', mounts: [{ guestPath: '/data', hostPath: dir, readOnly: true }] });
    expect(guestJob(config({ workingDir: '/elsewhere' }), '/m.wasm', '/log').cwd).toBeUndefined();
  });

  it.each([
    { name: 'a relative containerPath', mount: { containerPath: 'data', readOnly: false }, error: /must be absolute/ },
    { name: 'the SDK-reserved /workspace', mount: { containerPath: '/workspace', readOnly: false }, error: /reserves/ },
    { name: 'a missing hostPath', mount: { containerPath: '/x', hostPath: '/nonexistent/kite', readOnly: false }, error: /does not exist/ },
  ])('refuses $name', ({ mount, error }) => {
    expect(() => guestJob(config({ mounts: [{ hostPath: dir, ...mount }] }), '/m.wasm', '/log')).toThrow(error);
  });

  it.each([
    { cpuLimitMillis: undefined, want: undefined },
    { cpuLimitMillis: 250, want: 1 },
    { cpuLimitMillis: 1500, want: 2 },
  ])('offers $want CPUs for a CPU limit of $cpuLimitMillis millicores', ({ cpuLimitMillis, want }) => {
    expect(guestJob(config(cpuLimitMillis === undefined ? {} : { cpuLimitMillis }), '/m.wasm', '/log').parallelism).toBe(want);
  });

  it('refuses container ports', () => {
    expect(() => guestJob(config({ ports: [{ containerPort: 8080 }] }), '/m.wasm', '/log')).toThrow(/cannot serve container ports/);
  });
});

describe('HostFileSystem', () => {
  let root: string;
  let outside: string;
  let fs: HostFileSystem;
  const RW = 1;
  const RO = 2;

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'kite-wasmer-fs-'));
    root = join(base, 'mount');
    outside = join(base, 'secret.txt');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'a.txt'), 'inside');
    writeFileSync(outside, 'secret');
    symlinkSync('sub/a.txt', join(root, 'link'));
    symlinkSync(outside, join(root, 'escape'));
    fs = new HostFileSystem([
      { id: RW, hostPath: root, readOnly: false },
      { id: RO, hostPath: root, readOnly: true },
    ]);
  });

  const openRead = (mount: number, path: string) => fs.call(mount, 'open', [path, true, false, false, false, false, false]);

  it.each([
    { name: 'a file', path: 'sub/a.txt' },
    { name: 'a symlink that stays inside', path: 'link' },
  ])('reads $name', ({ path }) => {
    const handle = openRead(RO, path);
    expect(Buffer.from(fs.call(RO, 'read', [handle, 0, 100]) as Uint8Array).toString()).toBe('inside');
    fs.call(RO, 'close', [handle]);
    fs.call(RO, 'close', [handle]); // the SDK closes twice; the second is a no-op
  });

  it.each([
    { name: 'a path with ..', path: '../secret.txt' },
    { name: 'a symlink that leaves the mount', path: 'escape' },
  ])('refuses $name with EACCES', ({ path }) => {
    expect(() => openRead(RW, path)).toThrow(expect.objectContaining({ code: 'EACCES' }));
  });

  it('lists a directory without the link that leaves it', () => {
    expect((fs.call(RO, 'readDir', ['']) as Array<{ name: string }>).map((e) => e.name).sort()).toEqual(['link', 'sub']);
  });

  it.each([
    { name: 'create', method: 'open', args: ['new.txt', false, true, true, false, false, false] },
    { name: 'mkdir', method: 'mkdir', args: ['newdir'] },
    { name: 'remove', method: 'remove', args: ['sub/a.txt'] },
    { name: 'rename', method: 'rename', args: ['sub/a.txt', 'b.txt'] },
  ])('refuses $name on a read-only mount', ({ method, args }) => {
    expect(() => fs.call(RO, method, args)).toThrow(expect.objectContaining({ code: 'EACCES' }));
  });

  it('writes through a writable mount', () => {
    const handle = fs.call(RW, 'open', ['new.txt', false, true, true, false, true, false]);
    expect(fs.call(RW, 'write', [handle, 0, new TextEncoder().encode('hello')])).toBe(5);
    fs.call(RW, 'close', [handle]);
    expect(readFileSync(join(root, 'new.txt'), 'utf8')).toBe('hello');
  });
});
