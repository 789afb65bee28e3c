// The guest's file descriptor table and sandboxed path resolution for the preview1 host.
// Contract: a guest reaches host files only below a preopened directory (a pod's mount).
// Paths are resolved segment by segment; `..` may not climb above the preopen, absolute paths
// are refused, and a symlink whose target leaves the preopen's real path is refused
// (NOTCAPABLE). Entries remember whether they came from a read-only mount, so every
// mutation below them fails with ROFS.
import { closeSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { Errno } from './constants.js';

/** A host directory the guest sees at `guestPath` (a volume mount). */
export interface Preopen {
  guestPath: string;
  hostPath: string;
  readOnly: boolean;
}

export type FdEntry =
  | { kind: 'stdio'; stream: 'stdin' | 'stdout' | 'stderr' }
  | { kind: 'dir'; hostPath: string; root: string; readOnly: boolean; preopen?: string }
  | { kind: 'file'; hostFd: number; hostPath: string; root: string; readOnly: boolean; append: boolean; position: number };

export type DirEntry = Extract<FdEntry, { kind: 'dir' }>;
export type FileEntry = Extract<FdEntry, { kind: 'file' }>;

/** A resolved host path, or the errno that refused it. */
export type Resolution = { ok: true; hostPath: string } | { ok: false; errno: number };

/** Lowest file descriptor a guest may be handed for opened files. */
const FIRST_FREE_FD = 3;

export class FdTable {
  readonly #entries = new Map<number, FdEntry>();

  /** Node.js closes descriptors a Worker opened when it ends, so a killed guest leaks none. */
  constructor(preopens: readonly Preopen[]) {
    this.#entries.set(0, { kind: 'stdio', stream: 'stdin' });
    this.#entries.set(1, { kind: 'stdio', stream: 'stdout' });
    this.#entries.set(2, { kind: 'stdio', stream: 'stderr' });
    let fd = FIRST_FREE_FD;
    for (const preopen of preopens) {
      const root = realpathSync(preopen.hostPath);
      this.#entries.set(fd++, { kind: 'dir', hostPath: root, root, readOnly: preopen.readOnly, preopen: preopen.guestPath });
    }
  }

  get(fd: number): FdEntry | undefined {
    return this.#entries.get(fd);
  }

  dir(fd: number): DirEntry | undefined {
    const entry = this.#entries.get(fd);
    return entry?.kind === 'dir' ? entry : undefined;
  }

  add(entry: FdEntry): number {
    let fd = FIRST_FREE_FD;
    while (this.#entries.has(fd)) fd++;
    this.#entries.set(fd, entry);
    return fd;
  }

  close(fd: number): boolean {
    const entry = this.#entries.get(fd);
    if (!entry) return false;
    if (entry.kind === 'file') closeSync(entry.hostFd);
    this.#entries.delete(fd);
    return true;
  }

  renumber(from: number, to: number): boolean {
    const entry = this.#entries.get(from);
    if (!entry || !this.#entries.has(to)) return false;
    this.close(to);
    this.#entries.set(to, entry);
    this.#entries.delete(from);
    return true;
  }

  /** Closes every host file descriptor (the guest has ended). */
  closeAll(): void {
    for (const fd of [...this.#entries.keys()]) this.close(fd);
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `path`, or of its nearest existing ancestor when it does not exist yet. */
function realOrAncestor(path: string): string {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return realpathSync(current);
}

/**
 * Resolves `guestPath` relative to directory entry `dir`, keeping it inside the preopen.
 * `followFinal` is false for operations on a link itself (unlink, readlink, lstat).
 */
export function resolvePath(dir: DirEntry, guestPath: string, followFinal: boolean): Resolution {
  if (guestPath.startsWith('/')) return { ok: false, errno: Errno.NOTCAPABLE };
  if (guestPath.includes('\0')) return { ok: false, errno: Errno.INVAL };
  const base = dir.hostPath.slice(dir.root.length).split(sep).filter((s) => s.length > 0);
  const segments = [...base];
  for (const segment of guestPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return { ok: false, errno: Errno.NOTCAPABLE };
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  const hostPath = join(dir.root, ...segments);
  const checked = followFinal ? realOrAncestor(hostPath) : realOrAncestor(dirname(hostPath));
  if (!isInside(dir.root, checked)) return { ok: false, errno: Errno.NOTCAPABLE };
  return { ok: true, hostPath };
}
