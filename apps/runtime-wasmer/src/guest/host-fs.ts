// The host side of the SDK's native-directory mounts: `globalThis.__wasmerHostFileSystem`.
// Why: @wasmer/sdk 0.16 can mount a host directory only through its experimental
// `SandboxBuilderCore.mountHost(path, id, readOnly)`, which calls this function synchronously,
// from whichever SDK Worker thread runs the guest's syscall, as (mountId, method, args). The
// methods and their argument tuples are the SDK's (js/bindgen/src/host_filesystem.rs):
//   stat(path) → {kind, size}         readDir(path) → [{name, kind, size}]
//   open(path, read, write, create, createNew, truncate, append) → handle
//   read(handle, offset, length) → bytes   write(handle, offset, bytes) → count
//   setLen(handle, length)  flush(handle)  close(handle)  mkdir(path)  remove(path)
//   rename(from, to)  sync()
// Errors carry a Node `code` (ENOENT, EACCES, ...), which the SDK maps to WASI errnos.
// Paths are relative to the mount; anything that resolves outside it (`..`, a symlink that
// leaves the directory) is refused with EACCES. Read-only mounts refuse every write here too,
// although the SDK's ReadOnly mount mode already refuses them before they reach this code.
// Handles are per thread (the SDK runs a preview1 guest's syscalls on its one thread).
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync, constants, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { HostMount } from './protocol.js';

type Kind = 'file' | 'directory';
interface Metadata {
  kind: Kind;
  size: number;
}

/** Mode of files the guest creates (before the umask). */
const CREATE_MODE = 0o644;

function fsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function metadata(stats: Stats): Metadata {
  return { kind: stats.isDirectory() ? 'directory' : 'file', size: stats.size };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** One mounted directory, its real path resolved once. */
class MountedDir {
  readonly #root: string;
  constructor(readonly mount: HostMount) {
    this.#root = realpathSync(mount.hostPath);
  }

  /** The host path of `rel`, refused when it (or, for a new entry, its parent) is outside. */
  resolve(rel: string): string {
    // The SDK sends paths relative to the mount; a leading '/' would make resolve() escape it.
    const candidate = resolve(this.#root, rel.replace(/^\/+/, ''));
    if (!inside(this.#root, candidate)) throw fsError('EACCES', `${rel} leaves the mount`);
    try {
      const real = realpathSync(candidate);
      if (!inside(this.#root, real)) throw fsError('EACCES', `${rel} leaves the mount`);
      return real;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const parent = realpathSync(dirname(candidate));
      if (!inside(this.#root, parent)) throw fsError('EACCES', `${rel} leaves the mount`);
      return resolve(parent, basename(candidate));
    }
  }

  writable(): void {
    if (this.mount.readOnly) throw fsError('EACCES', 'read-only mount');
  }
}

type OpenArgs = [string, boolean, boolean, boolean, boolean, boolean, boolean];

function openFlags([, read, write, create, createNew, truncate, append]: OpenArgs): number {
  let flags = write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
  if (create || createNew) flags |= constants.O_CREAT;
  if (createNew) flags |= constants.O_EXCL;
  if (truncate) flags |= constants.O_TRUNC;
  if (append) flags |= constants.O_APPEND;
  return flags;
}

/** Serves the SDK's calls for the mounts of one container. */
export class HostFileSystem {
  readonly #mounts = new Map<number, MountedDir>();
  readonly #files = new Map<number, { fd: number; mount: MountedDir }>();
  #nextHandle = 1;

  constructor(mounts: readonly HostMount[]) {
    for (const m of mounts) this.#mounts.set(m.id, new MountedDir(m));
  }

  call(mountId: number, method: string, args: unknown[]): unknown {
    const mount = this.#mounts.get(mountId);
    if (!mount) throw fsError('ENOENT', `no mount ${mountId}`);
    switch (method) {
      case 'stat':
        return metadata(statSync(mount.resolve(String(args[0]))));
      case 'readDir':
        return this.#readDir(mount, String(args[0]));
      case 'open':
        return this.#open(mount, args as OpenArgs);
      case 'mkdir':
        mount.writable();
        mkdirSync(mount.resolve(String(args[0])));
        return null;
      case 'remove':
        return this.#remove(mount, String(args[0]));
      case 'rename':
        mount.writable();
        renameSync(mount.resolve(String(args[0])), mount.resolve(String(args[1])));
        return null;
      case 'sync':
        return null;
      default:
        return this.#fileCall(method, args);
    }
  }

  #readDir(mount: MountedDir, rel: string): Array<Metadata & { name: string }> {
    const dir = mount.resolve(rel);
    const out: Array<Metadata & { name: string }> = [];
    for (const name of readdirSync(dir)) {
      try {
        out.push({ name, ...metadata(statSync(mount.resolve(rel === '' ? name : `${rel}/${name}`))) });
      } catch {
        // A dangling link or one that leaves the mount is not listed.
      }
    }
    return out;
  }

  #open(mount: MountedDir, args: OpenArgs): number {
    const flags = openFlags(args);
    if ((flags & (constants.O_WRONLY | constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND)) !== 0) mount.writable();
    const fd = openSync(mount.resolve(args[0]), flags, CREATE_MODE);
    const handle = this.#nextHandle++;
    this.#files.set(handle, { fd, mount });
    return handle;
  }

  #remove(mount: MountedDir, rel: string): null {
    mount.writable();
    const path = mount.resolve(rel);
    if (statSync(path).isDirectory()) rmdirSync(path);
    else unlinkSync(path);
    return null;
  }

  #fileCall(method: string, args: unknown[]): unknown {
    const handle = Number(args[0]);
    const file = this.#files.get(handle);
    if (method === 'close') {
      // The SDK closes again when it drops a descriptor: the second close is a no-op.
      if (file) closeSync(file.fd);
      this.#files.delete(handle);
      return null;
    }
    if (!file) throw fsError('EBADF', `no open file ${handle}`);
    switch (method) {
      case 'read': {
        const buffer = Buffer.alloc(Number(args[2]));
        const count = readSync(file.fd, buffer, 0, buffer.length, Number(args[1]));
        return new Uint8Array(buffer.subarray(0, count));
      }
      case 'write': {
        file.mount.writable();
        // Older SDK builds send the bytes as a number array, newer ones as a Uint8Array.
        const data = args[2] instanceof Uint8Array ? args[2] : Uint8Array.from(args[2] as number[]);
        return writeSync(file.fd, data, 0, data.length, Number(args[1]));
      }
      case 'setLen':
        file.mount.writable();
        ftruncateSync(file.fd, Number(args[1]));
        return null;
      case 'flush':
        // writeSync already handed the bytes to the kernel; there is no buffer of ours to flush.
        return null;
      default:
        throw fsError('ENOTSUP', `unknown host filesystem method ${method}`);
    }
  }
}
