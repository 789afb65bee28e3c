// emptyDir volumes: a directory per pod, on the node's disk or — medium: Memory — on the tmpfs
// at /dev/shm (memory-backed as Kubernetes' tmpfs mount is, without needing mount privileges),
// and the sizeLimit the kubelet enforces by evicting the pod, as Kubernetes' eviction manager
// does for local storage. The Memory directory is named after the pod directory, so removing
// the pod finds it again (cleanupMemoryDirs).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseQuantity } from '@kite/api-types';
import { VolumeError } from './errors.js';

/** Where medium: Memory volumes live. */
export const MEMORY_ROOT = '/dev/shm';

type EmptyDir = { medium?: string; sizeLimit?: string | number };

export interface PreparedEmptyDir {
  hostPath: string;
  forceReadOnly: false;
  /** sizeLimit in bytes and as written, when one is set. */
  sizeLimit?: { bytes: number; text: string };
}

const memoryDirOf = (podDir: string) => join(MEMORY_ROOT, `kite-${createHash('sha256').update(podDir).digest('hex').slice(0, 16)}`);

export async function prepareEmptyDir(podDir: string, name: string, spec: EmptyDir): Promise<PreparedEmptyDir> {
  let dir: string;
  if (spec.medium === 'Memory') {
    if (!existsSync(MEMORY_ROOT)) throw new VolumeError(`emptyDir "${name}": medium Memory needs the tmpfs at ${MEMORY_ROOT}, which this node does not have`);
    dir = join(memoryDirOf(podDir), name);
  } else if (!spec.medium) {
    dir = join(podDir, 'volumes', 'empty-dir', name);
  } else {
    throw new VolumeError(`emptyDir "${name}": unknown medium "${spec.medium}" (supported: "" and "Memory")`);
  }
  await mkdir(dir, { recursive: true });
  // World-writable like Kubernetes' emptyDir, so containers running as any user can share it.
  await chmod(dir, 0o777);
  const limit = spec.sizeLimit;
  return { hostPath: dir, forceReadOnly: false, ...(limit !== undefined ? { sizeLimit: { bytes: parseQuantity(limit), text: String(limit) } } : {}) };
}

/** Bytes the files under `dir` take (apparent sizes; links not followed). */
export async function directoryUsage(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await directoryUsage(path);
    else total += (await lstat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** Kubernetes' eviction message for the first emptyDir over its sizeLimit, if any. */
export async function emptyDirOverLimit(volumes: ReadonlyMap<string, { hostPath: string; sizeLimit?: { bytes: number; text: string } }>): Promise<string | undefined> {
  for (const [name, v] of volumes) {
    if (!v.sizeLimit) continue;
    if ((await directoryUsage(v.hostPath)) > v.sizeLimit.bytes) return `Usage of EmptyDir volume "${name}" exceeds the limit "${v.sizeLimit.text}". `;
  }
  return undefined;
}

/** Removes the pod's medium: Memory volumes. */
export async function cleanupMemoryDirs(podDir: string): Promise<void> {
  await rm(memoryDirOf(podDir), { recursive: true, force: true });
}
