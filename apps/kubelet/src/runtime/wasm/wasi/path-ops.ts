// preview1 calls on paths: open, mkdir, stat, unlink, rename, readlink, rmdir.
// Contract: every path is resolved inside its directory descriptor's preopen (fd-table.ts),
// and anything that would change a read-only mount fails with ROFS before touching the host.
import { constants, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { Errno, FdFlags, LookupFlags, OFlags, RIGHT_FD_WRITE, errnoFromNode } from './constants.js';
import { resolvePath, type DirEntry, type FdTable } from './fd-table.js';
import { writeFilestat } from './file-ops.js';
import type { GuestMemory } from './guest-memory.js';

type Resolved = { ok: true; dir: DirEntry; hostPath: string } | { ok: false; errno: number };

/** Arguments of path_open after the directory and path. */
export interface OpenRequest {
  oflags: number;
  rightsBase: bigint;
  fdflags: number;
  followSymlinks: boolean;
}

export class PathOps {
  readonly #table: FdTable;
  readonly #memory: GuestMemory;

  constructor(table: FdTable, memory: GuestMemory) {
    this.#table = table;
    this.#memory = memory;
  }

  #resolve(fd: number, pointer: number, length: number, follow: boolean, forWrite: boolean): Resolved {
    const dir = this.#table.dir(fd);
    if (!dir) return { ok: false, errno: this.#table.get(fd) ? Errno.NOTDIR : Errno.BADF };
    if (forWrite && dir.readOnly) return { ok: false, errno: Errno.ROFS };
    const resolution = resolvePath(dir, this.#memory.readString(pointer, length), follow);
    return resolution.ok ? { ok: true, dir, hostPath: resolution.hostPath } : resolution;
  }

  #run(action: () => void): number {
    try {
      action();
      return Errno.SUCCESS;
    } catch (error) {
      return errnoFromNode(error);
    }
  }

  open(fd: number, pointer: number, length: number, request: OpenRequest, fdOut: number): number {
    const wantsWrite =
      (request.oflags & (OFlags.CREAT | OFlags.TRUNC)) !== 0 || (request.rightsBase & RIGHT_FD_WRITE) !== 0n || (request.fdflags & FdFlags.APPEND) !== 0;
    const target = this.#resolve(fd, pointer, length, request.followSymlinks, wantsWrite);
    if (!target.ok) return target.errno;
    const { dir, hostPath } = target;
    try {
      const existing = statOrUndefined(hostPath);
      if (existing?.isDirectory() && !wantsWrite) {
        this.#memory.u32(fdOut, this.#table.add({ kind: 'dir', hostPath, root: dir.root, readOnly: dir.readOnly }));
        return Errno.SUCCESS;
      }
      if ((request.oflags & OFlags.DIRECTORY) !== 0) return existing ? Errno.NOTDIR : Errno.NOENT;
      const hostFd = openSync(hostPath, hostOpenFlags(request, wantsWrite));
      const append = (request.fdflags & FdFlags.APPEND) !== 0;
      this.#memory.u32(fdOut, this.#table.add({ kind: 'file', hostFd, hostPath, root: dir.root, readOnly: dir.readOnly, append, position: 0 }));
      return Errno.SUCCESS;
    } catch (error) {
      return errnoFromNode(error);
    }
  }

  createDirectory(fd: number, pointer: number, length: number): number {
    const target = this.#resolve(fd, pointer, length, false, true);
    return target.ok ? this.#run(() => mkdirSync(target.hostPath)) : target.errno;
  }

  removeDirectory(fd: number, pointer: number, length: number): number {
    const target = this.#resolve(fd, pointer, length, false, true);
    return target.ok ? this.#run(() => rmdirSync(target.hostPath)) : target.errno;
  }

  unlinkFile(fd: number, pointer: number, length: number): number {
    const target = this.#resolve(fd, pointer, length, false, true);
    return target.ok ? this.#run(() => unlinkSync(target.hostPath)) : target.errno;
  }

  rename(fromFd: number, fromPointer: number, fromLength: number, toFd: number, toPointer: number, toLength: number): number {
    const from = this.#resolve(fromFd, fromPointer, fromLength, false, true);
    if (!from.ok) return from.errno;
    const to = this.#resolve(toFd, toPointer, toLength, false, true);
    if (!to.ok) return to.errno;
    return this.#run(() => renameSync(from.hostPath, to.hostPath));
  }

  filestat(fd: number, flags: number, pointer: number, length: number, out: number): number {
    const follow = (flags & LookupFlags.SYMLINK_FOLLOW) !== 0;
    const target = this.#resolve(fd, pointer, length, follow, false);
    if (!target.ok) return target.errno;
    return this.#run(() => writeFilestat(this.#memory, out, follow ? statSync(target.hostPath, { bigint: true }) : lstatSync(target.hostPath, { bigint: true })));
  }

  setTimes(fd: number, pointer: number, length: number, atim: bigint, mtim: bigint): number {
    const target = this.#resolve(fd, pointer, length, true, true);
    if (!target.ok) return target.errno;
    return this.#run(() => utimesSync(target.hostPath, Number(atim / 1_000_000n) / 1000, Number(mtim / 1_000_000n) / 1000));
  }

  readlink(fd: number, pointer: number, length: number, buffer: number, bufferLength: number, used: number): number {
    const target = this.#resolve(fd, pointer, length, false, false);
    if (!target.ok) return target.errno;
    return this.#run(() => {
      const link = Buffer.from(readlinkSync(target.hostPath)).subarray(0, bufferLength);
      this.#memory.bytes(buffer, link.length).set(link);
      this.#memory.u32(used, link.length);
    });
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function hostOpenFlags(request: OpenRequest, wantsWrite: boolean): number {
  let flags = wantsWrite ? constants.O_RDWR : constants.O_RDONLY;
  if (request.oflags & OFlags.CREAT) flags |= constants.O_CREAT;
  if (request.oflags & OFlags.EXCL) flags |= constants.O_EXCL;
  if (request.oflags & OFlags.TRUNC) flags |= constants.O_TRUNC;
  if (request.fdflags & FdFlags.APPEND) flags |= constants.O_APPEND;
  if (!request.followSymlinks) flags |= constants.O_NOFOLLOW;
  return flags;
}
