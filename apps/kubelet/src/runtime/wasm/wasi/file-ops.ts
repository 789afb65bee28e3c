// preview1 calls on open descriptors: read, write, seek, stat, readdir, prestat.
// Contract: stdin reads from a byte buffer, stdout/stderr go to the host's sinks, files go
// through node:fs synchronously (a guest call is synchronous too); positions are tracked here
// because Node.js has no lseek.
import { fstatSync, fsyncSync, ftruncateSync, readSync, readdirSync, statSync, writeSync, type BigIntStats } from 'node:fs';
import { Errno, FileType, RIGHTS_ALL, RIGHTS_WRITE, Whence, errnoFromNode } from './constants.js';
import type { FdEntry, FdTable } from './fd-table.js';
import type { GuestMemory } from './guest-memory.js';

/** Where a guest's standard streams go and come from. */
export interface StdioSinks {
  stdin: Uint8Array;
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
}

/** Size of a preview1 `dirent` header (the name follows it). */
const DIRENT_SIZE = 24;

export function fileTypeOf(stats: BigIntStats): number {
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isFile()) return FileType.REGULAR_FILE;
  if (stats.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  return FileType.UNKNOWN;
}

/** Writes a 64-byte `filestat` at `pointer`. */
export function writeFilestat(memory: GuestMemory, pointer: number, stats: BigIntStats | undefined): void {
  memory.bytes(pointer, 64).fill(0);
  if (!stats) {
    memory.u8(pointer + 16, FileType.CHARACTER_DEVICE);
    return;
  }
  memory.u64(pointer, stats.dev);
  memory.u64(pointer + 8, stats.ino);
  memory.u8(pointer + 16, fileTypeOf(stats));
  memory.u64(pointer + 24, stats.nlink);
  memory.u64(pointer + 32, stats.size);
  memory.u64(pointer + 40, stats.atimeNs);
  memory.u64(pointer + 48, stats.mtimeNs);
  memory.u64(pointer + 56, stats.ctimeNs);
}

export class FileOps {
  readonly #table: FdTable;
  readonly #memory: GuestMemory;
  readonly #stdio: StdioSinks;
  #stdinOffset = 0;

  constructor(table: FdTable, memory: GuestMemory, stdio: StdioSinks) {
    this.#table = table;
    this.#memory = memory;
    this.#stdio = stdio;
  }

  read(fd: number, iovs: number, count: number, nread: number, position?: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    let total = 0;
    for (const [pointer, length] of this.#memory.iovecs(iovs, count)) {
      const target = this.#memory.bytes(pointer, length);
      const got = this.#readInto(entry, target, position === undefined ? undefined : position + total);
      if (got < 0) return -got;
      total += got;
      if (got < length) break;
    }
    this.#memory.u32(nread, total);
    return Errno.SUCCESS;
  }

  #readInto(entry: FdEntry, target: Uint8Array, position: number | undefined): number {
    if (entry.kind === 'dir') return -Errno.ISDIR;
    if (entry.kind === 'stdio') {
      if (entry.stream !== 'stdin') return -Errno.BADF;
      const chunk = this.#stdio.stdin.subarray(this.#stdinOffset, this.#stdinOffset + target.length);
      target.set(chunk);
      this.#stdinOffset += chunk.length;
      return chunk.length;
    }
    try {
      const got = readSync(entry.hostFd, target, 0, target.length, position ?? entry.position);
      if (position === undefined) entry.position += got;
      return got;
    } catch (error) {
      return -errnoFromNode(error);
    }
  }

  write(fd: number, iovs: number, count: number, nwritten: number, position?: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    let total = 0;
    for (const [pointer, length] of this.#memory.iovecs(iovs, count)) {
      const put = this.#writeFrom(entry, this.#memory.bytes(pointer, length), position === undefined ? undefined : position + total);
      if (put < 0) return -put;
      total += put;
    }
    this.#memory.u32(nwritten, total);
    return Errno.SUCCESS;
  }

  #writeFrom(entry: FdEntry, source: Uint8Array, position: number | undefined): number {
    if (entry.kind === 'dir') return -Errno.ISDIR;
    if (entry.kind === 'stdio') {
      if (entry.stream === 'stdin') return -Errno.BADF;
      (entry.stream === 'stdout' ? this.#stdio.stdout : this.#stdio.stderr)(source);
      return source.length;
    }
    if (entry.readOnly) return -Errno.ROFS;
    try {
      const at = position ?? (entry.append ? fstatSync(entry.hostFd).size : entry.position);
      const put = writeSync(entry.hostFd, source, 0, source.length, at);
      if (position === undefined) entry.position = at + put;
      return put;
    } catch (error) {
      return -errnoFromNode(error);
    }
  }

  seek(fd: number, offset: bigint, whence: number, newOffset: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    if (entry.kind !== 'file') return entry.kind === 'dir' ? Errno.ISDIR : Errno.SPIPE;
    const base = whence === Whence.SET ? 0 : whence === Whence.CUR ? entry.position : whence === Whence.END ? fstatSync(entry.hostFd).size : -1;
    if (base < 0) return Errno.INVAL;
    const next = base + Number(offset);
    if (next < 0) return Errno.INVAL;
    entry.position = next;
    this.#memory.u64(newOffset, BigInt(next));
    return Errno.SUCCESS;
  }

  fdstat(fd: number, pointer: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    const type = entry.kind === 'stdio' ? FileType.CHARACTER_DEVICE : entry.kind === 'dir' ? FileType.DIRECTORY : FileType.REGULAR_FILE;
    const rights = entry.kind !== 'stdio' && entry.readOnly ? RIGHTS_ALL & ~RIGHTS_WRITE : RIGHTS_ALL;
    this.#memory.bytes(pointer, 24).fill(0);
    this.#memory.u8(pointer, type);
    this.#memory.u16(pointer + 2, entry.kind === 'file' && entry.append ? 1 : 0);
    this.#memory.u64(pointer + 8, rights);
    this.#memory.u64(pointer + 16, rights);
    return Errno.SUCCESS;
  }

  filestat(fd: number, pointer: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    try {
      const stats = entry.kind === 'stdio' ? undefined : entry.kind === 'file' ? fstatSync(entry.hostFd, { bigint: true }) : statSync(entry.hostPath, { bigint: true });
      writeFilestat(this.#memory, pointer, stats);
      return Errno.SUCCESS;
    } catch (error) {
      return errnoFromNode(error);
    }
  }

  setSize(fd: number, size: bigint): number {
    const entry = this.#table.get(fd);
    if (entry?.kind !== 'file') return Errno.BADF;
    if (entry.readOnly) return Errno.ROFS;
    try {
      ftruncateSync(entry.hostFd, Number(size));
      return Errno.SUCCESS;
    } catch (error) {
      return errnoFromNode(error);
    }
  }

  sync(fd: number): number {
    const entry = this.#table.get(fd);
    if (!entry) return Errno.BADF;
    if (entry.kind === 'file') fsyncSync(entry.hostFd);
    return Errno.SUCCESS;
  }

  prestat(fd: number, pointer: number): number {
    const entry = this.#table.get(fd);
    if (entry?.kind !== 'dir' || entry.preopen === undefined) return Errno.BADF;
    this.#memory.u32(pointer, 0);
    this.#memory.u32(pointer + 4, Buffer.byteLength(entry.preopen));
    return Errno.SUCCESS;
  }

  prestatDirName(fd: number, pointer: number, length: number): number {
    const entry = this.#table.get(fd);
    if (entry?.kind !== 'dir' || entry.preopen === undefined) return Errno.BADF;
    const name = Buffer.from(entry.preopen);
    this.#memory.bytes(pointer, Math.min(length, name.length)).set(name.subarray(0, length));
    return Errno.SUCCESS;
  }

  /** Fills `buffer` with dirents from `cookie` on; a truncated last entry tells the guest to grow its buffer. */
  readdir(fd: number, buffer: number, length: number, cookie: bigint, used: number): number {
    const entry = this.#table.dir(fd);
    if (!entry) return Errno.NOTDIR;
    let names: Array<{ name: string; type: number }>;
    try {
      names = readdirSync(entry.hostPath, { withFileTypes: true }).map((d) => ({
        name: d.name,
        type: d.isDirectory() ? FileType.DIRECTORY : d.isFile() ? FileType.REGULAR_FILE : d.isSymbolicLink() ? FileType.SYMBOLIC_LINK : FileType.UNKNOWN,
      }));
    } catch (error) {
      return errnoFromNode(error);
    }
    const records: Buffer[] = [];
    names.slice(Number(cookie)).forEach((item, index) => {
      const name = Buffer.from(item.name);
      const record = Buffer.alloc(DIRENT_SIZE + name.length);
      record.writeBigUInt64LE(cookie + BigInt(index + 1), 0);
      record.writeUInt32LE(name.length, 16);
      record.writeUInt8(item.type, 20);
      name.copy(record, DIRENT_SIZE);
      records.push(record);
    });
    const all = Buffer.concat(records).subarray(0, length);
    this.#memory.bytes(buffer, all.length).set(all);
    this.#memory.u32(used, all.length);
    return Errno.SUCCESS;
  }
}
