// The layout configMap, secret, downwardAPI and projected volumes are written in
// (volumes/atomic-writer.ts), on a real filesystem: a reader following the stable links always
// sees one whole version, updates swap ..data, and stale files go.
import { lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../src/volumes/atomic-writer.js';
import { ttlCached } from '../src/volumes/object-cache.js';

const payload = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));

describe('writeAtomically', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kite-atomic-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes one version directory behind ..data, with a stable link per top-level name', async () => {
    expect(await writeAtomically(dir, payload({ 'a.txt': 'one', 'sub/b.txt': 'two' }), 'test')).toBe(true);
    const version = await readlink(join(dir, '..data'));
    expect(version).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{9}$/);
    expect(await readlink(join(dir, 'a.txt'))).toBe('..data/a.txt');
    expect(await readlink(join(dir, 'sub'))).toBe('..data/sub');
    expect(await readFile(join(dir, 'sub/b.txt'), 'utf8')).toBe('two');
    expect(((await lstat(join(dir, version, 'a.txt'))).mode & 0o777).toString(8)).toBe('644');
    expect((await readdir(dir)).sort()).toEqual(['..data', version, 'a.txt', 'sub'].sort());
  });

  it('swaps to a new version on change, drops removed names and the old version, and writes nothing when unchanged', async () => {
    await writeAtomically(dir, payload({ 'a.txt': 'one', 'gone.txt': 'x' }), 'test');
    const first = await readlink(join(dir, '..data'));
    expect(await writeAtomically(dir, payload({ 'a.txt': 'one', 'gone.txt': 'x' }), 'test')).toBe(false);
    expect(await readlink(join(dir, '..data'))).toBe(first);

    expect(await writeAtomically(dir, payload({ 'a.txt': 'changed', 'new.txt': 'n' }), 'test', 0o600)).toBe(true);
    const second = await readlink(join(dir, '..data'));
    expect(second).not.toBe(first);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('changed');
    expect(await readFile(join(dir, 'new.txt'), 'utf8')).toBe('n');
    expect(((await lstat(join(dir, second, 'a.txt'))).mode & 0o777).toString(8)).toBe('600');
    expect((await readdir(dir)).sort()).toEqual(['..data', second, 'a.txt', 'new.txt'].sort());
  });

  it('replaces files an older layout left in place, and refuses paths that leave the volume', async () => {
    await writeFile(join(dir, 'a.txt'), 'plain file from before');
    await writeAtomically(dir, payload({ 'a.txt': 'linked' }), 'test');
    expect((await lstat(join(dir, 'a.txt'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('linked');
    await expect(writeAtomically(dir, payload({ '../escape': 'x' }), 'configmap "c"')).rejects.toThrow('configmap "c": path "../escape" leaves the volume');
    await expect(writeAtomically(dir, payload({ '..data/x': 'x' }), 'configmap "c"')).rejects.toThrow('leaves the volume');
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('linked');
  });
});

describe('ttlCached', () => {
  it('shares one fetch per object within the TTL, and keeps neither misses nor failures', async () => {
    let t = 0;
    const calls: string[] = [];
    const answers = new Map<string, string | undefined | Error>([['ns/a', 'A'], ['ns/missing', undefined], ['ns/broken', new Error('boom')]]);
    const fetch = ttlCached(
      async (ns, name) => {
        calls.push(`${ns}/${name}`);
        const a = answers.get(`${ns}/${name}`);
        if (a instanceof Error) throw a;
        return a;
      },
      1000,
      () => t,
    );
    expect(await fetch('ns', 'a')).toBe('A');
    expect(await fetch('ns', 'a')).toBe('A');
    expect(await fetch('ns', 'missing')).toBeUndefined();
    expect(await fetch('ns', 'missing')).toBeUndefined();
    await expect(fetch('ns', 'broken')).rejects.toThrow('boom');
    await expect(fetch('ns', 'broken')).rejects.toThrow('boom');
    expect(calls).toEqual(['ns/a', 'ns/missing', 'ns/missing', 'ns/broken', 'ns/broken']);
    t = 1000;
    answers.set('ns/a', 'A2');
    expect(await fetch('ns', 'a')).toBe('A2');
  });
});
