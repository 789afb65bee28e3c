// Writes the files of a configMap, secret, downwardAPI or projected volume so that a running
// container sees each update all at once, as Kubernetes' AtomicWriter does:
//   <dir>/..2026_12_07_17_20_01.123456789/<files>   one directory per version
//   <dir>/..data -> ..2026_12_07_17_20_01.123456789  swapped by rename(2), which is atomic
//   <dir>/<top-level name> -> ..data/<top-level name> stable links the container opens
// A reader never sees half of an update: it follows ..data to one whole version. Unchanged
// content writes nothing. subPath mounts point below the links, so (as in Kubernetes) they keep
// the version they started with.
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { VolumeError } from './errors.js';

const DATA = '..data';
const DATA_TMP = '..data_tmp';

/** path (relative, '/'-separated) → content. */
export type Payload = ReadonlyMap<string, Buffer>;

function versionName(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = p(d.getUTCMilliseconds(), 3) + String(process.hrtime.bigint() % 1_000_000n).padStart(6, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${nanos}`;
}

/** Checks every path stays inside the volume and is not one of the writer's own names. */
function validate(dir: string, payload: Payload, what: string): void {
  for (const path of payload.keys()) {
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + sep) || path.startsWith('..')) throw new VolumeError(`${what}: path "${path}" leaves the volume`);
  }
}

async function currentVersion(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA));
  } catch {
    return undefined;
  }
}

async function sameContent(versionDir: string, payload: Payload): Promise<boolean> {
  const existing = await listFiles(versionDir).catch(() => undefined);
  if (!existing || existing.length !== payload.size) return false;
  for (const [path, content] of payload) {
    const old = await readFile(join(versionDir, path)).catch(() => undefined);
    if (!old?.equals(content)) return false;
  }
  return true;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

const topLevel = (payload: Payload) => new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));

/** Makes `dir` show `payload`; returns whether anything changed. `mode` applies to the files. */
export async function writeAtomically(dir: string, payload: Payload, what: string, mode = 0o644): Promise<boolean> {
  validate(dir, payload, what);
  await mkdir(dir, { recursive: true });
  const old = await currentVersion(dir);
  if (old && (await sameContent(join(dir, old), payload))) return false;

  const version = versionName();
  for (const [path, content] of payload) {
    const file = join(dir, version, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { mode });
  }
  await mkdir(join(dir, version), { recursive: true });
  await rm(join(dir, DATA_TMP), { force: true });
  await symlink(version, join(dir, DATA_TMP));
  await rename(join(dir, DATA_TMP), join(dir, DATA));

  const wanted = topLevel(payload);
  for (const name of wanted) {
    const link = join(dir, name);
    const st = await lstat(link).catch(() => undefined);
    if (st?.isSymbolicLink()) continue;
    // A plain file or directory there predates the writer (an older kubelet's layout).
    if (st) await rm(link, { recursive: true, force: true });
    await symlink(join(DATA, name), link);
  }
  for (const e of await readdir(dir)) {
    if (e === DATA || e === version) continue;
    if (e.startsWith('..') || !wanted.has(e)) await rm(join(dir, e), { recursive: true, force: true });
  }
  return true;
}
