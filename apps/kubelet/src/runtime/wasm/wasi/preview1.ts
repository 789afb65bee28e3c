// A WASI preview1 (wasi_snapshot_preview1) host for one guest instance.
//
// Why our own host instead of node:wasi or @wasmer/sdk:
// - node:wasi (Node 20.20) aborts the whole process with a V8 fatal error or a segfault when
//   a guest writes after growing its memory (measured: examples/wasm-pods/memhog under
//   node:wasi crashes every time; the same module with our fd_write runs to its limit).
//   It also writes stdout to the process's fd 1 and cannot make a mount read-only.
// - @wasmer/sdk cannot stop a spinning guest (its thread keeps a core busy after kill), and
//   brings its own thread pool and virtual filesystem.
// The host is synchronous, like the guest calls it serves, and runs inside the container's
// Worker (see ../worker), so a spinning guest is stopped with worker.terminate().
import { randomFillSync } from 'node:crypto';
import { ClockId, Errno, EventType, LookupFlags } from './constants.js';
import { FdTable, type Preopen } from './fd-table.js';
import { FileOps, type StdioSinks } from './file-ops.js';
import { GuestMemory } from './guest-memory.js';
import { PathOps } from './path-ops.js';

export type { Preopen } from './fd-table.js';
export type { StdioSinks } from './file-ops.js';

export interface Preview1Options {
  /** argv, including argv[0]. */
  args: readonly string[];
  env: ReadonlyArray<readonly [string, string]>;
  preopens: readonly Preopen[];
  stdio: StdioSinks;
}

/** Thrown by proc_exit to unwind the guest; carries its exit code. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

type HostFunction = (...args: never[]) => number | undefined;

/** A shared cell for Atomics.wait, the only way to block a thread for poll_oneoff's sleeps. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class Preview1Host {
  readonly memory = new GuestMemory();
  readonly #table: FdTable;
  readonly #files: FileOps;
  readonly #paths: PathOps;
  readonly #args: Buffer[];
  readonly #env: Buffer[];

  constructor(options: Preview1Options) {
    this.#table = new FdTable(options.preopens);
    this.#files = new FileOps(this.#table, this.memory, options.stdio);
    this.#paths = new PathOps(this.#table, this.memory);
    this.#args = options.args.map((a) => Buffer.from(a));
    this.#env = options.env.map(([k, v]) => Buffer.from(`${k}=${v}`));
  }

  /** Runs a command module's `_start`; returns its exit code (0 when `_start` returns). */
  start(instance: WebAssembly.Instance): number {
    const { memory, _start: start } = instance.exports;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('module does not export its memory');
    if (typeof start !== 'function') throw new Error('module does not export _start');
    this.memory.bind(memory);
    try {
      start();
      return 0;
    } catch (error) {
      if (error instanceof ProcExit) return error.code;
      throw error;
    } finally {
      this.#table.closeAll();
    }
  }

  imports(): WebAssembly.Imports {
    return { wasi_snapshot_preview1: { ...this.#environment(), ...this.#descriptors(), ...this.#pathCalls(), ...this.#misc() } };
  }

  #sizes(list: Buffer[], count: number, size: number): number {
    this.memory.u32(count, list.length);
    this.memory.u32(size, list.reduce((sum, b) => sum + b.length + 1, 0));
    return Errno.SUCCESS;
  }

  #environment(): Record<string, HostFunction> {
    return {
      args_sizes_get: (count: number, size: number) => this.#sizes(this.#args, count, size),
      args_get: (pointers: number, buffer: number) => (this.memory.writeStringList(this.#args, pointers, buffer), Errno.SUCCESS),
      environ_sizes_get: (count: number, size: number) => this.#sizes(this.#env, count, size),
      environ_get: (pointers: number, buffer: number) => (this.memory.writeStringList(this.#env, pointers, buffer), Errno.SUCCESS),
      clock_res_get: (_id: number, out: number) => (this.memory.u64(out, 1000n), Errno.SUCCESS),
      clock_time_get: (id: number, _precision: bigint, out: number) => {
        this.memory.u64(out, now(id));
        return Errno.SUCCESS;
      },
      proc_exit: (code: number) => {
        throw new ProcExit(code >>> 0);
      },
      proc_raise: () => Errno.NOSYS,
      random_get: (pointer: number, length: number) => (randomFillSync(this.memory.bytes(pointer, length)), Errno.SUCCESS),
      sched_yield: () => Errno.SUCCESS,
    };
  }

  #descriptors(): Record<string, HostFunction> {
    const f = this.#files;
    return {
      fd_read: (fd: number, iovs: number, n: number, out: number) => f.read(fd, iovs, n, out),
      fd_pread: (fd: number, iovs: number, n: number, offset: bigint, out: number) => f.read(fd, iovs, n, out, Number(offset)),
      fd_write: (fd: number, iovs: number, n: number, out: number) => f.write(fd, iovs, n, out),
      fd_pwrite: (fd: number, iovs: number, n: number, offset: bigint, out: number) => f.write(fd, iovs, n, out, Number(offset)),
      fd_seek: (fd: number, offset: bigint, whence: number, out: number) => f.seek(fd, offset, whence, out),
      fd_tell: (fd: number, out: number) => f.seek(fd, 0n, 1, out),
      fd_close: (fd: number) => (this.#table.close(fd) ? Errno.SUCCESS : Errno.BADF),
      fd_renumber: (from: number, to: number) => (this.#table.renumber(from, to) ? Errno.SUCCESS : Errno.BADF),
      fd_fdstat_get: (fd: number, out: number) => f.fdstat(fd, out),
      fd_fdstat_set_flags: (fd: number) => (this.#table.get(fd) ? Errno.SUCCESS : Errno.BADF),
      fd_fdstat_set_rights: (fd: number) => (this.#table.get(fd) ? Errno.SUCCESS : Errno.BADF),
      fd_filestat_get: (fd: number, out: number) => f.filestat(fd, out),
      fd_filestat_set_size: (fd: number, size: bigint) => f.setSize(fd, size),
      fd_filestat_set_times: () => Errno.NOSYS,
      fd_prestat_get: (fd: number, out: number) => f.prestat(fd, out),
      fd_prestat_dir_name: (fd: number, pointer: number, length: number) => f.prestatDirName(fd, pointer, length),
      fd_readdir: (fd: number, buffer: number, length: number, cookie: bigint, out: number) => f.readdir(fd, buffer, length, cookie, out),
      fd_sync: (fd: number) => f.sync(fd),
      fd_datasync: (fd: number) => f.sync(fd),
      fd_advise: () => Errno.SUCCESS,
      fd_allocate: () => Errno.NOSYS,
    };
  }

  #pathCalls(): Record<string, HostFunction> {
    const p = this.#paths;
    return {
      path_open: (fd: number, dirflags: number, path: number, len: number, oflags: number, rightsBase: bigint, _inheriting: bigint, fdflags: number, out: number) =>
        p.open(fd, path, len, { oflags, rightsBase, fdflags, followSymlinks: (dirflags & LookupFlags.SYMLINK_FOLLOW) !== 0 }, out),
      path_create_directory: (fd: number, path: number, len: number) => p.createDirectory(fd, path, len),
      path_remove_directory: (fd: number, path: number, len: number) => p.removeDirectory(fd, path, len),
      path_unlink_file: (fd: number, path: number, len: number) => p.unlinkFile(fd, path, len),
      path_rename: (fd: number, path: number, len: number, toFd: number, toPath: number, toLen: number) => p.rename(fd, path, len, toFd, toPath, toLen),
      path_filestat_get: (fd: number, flags: number, path: number, len: number, out: number) => p.filestat(fd, flags, path, len, out),
      path_filestat_set_times: (fd: number, _flags: number, path: number, len: number, atim: bigint, mtim: bigint) => p.setTimes(fd, path, len, atim, mtim),
      path_readlink: (fd: number, path: number, len: number, buffer: number, bufferLength: number, out: number) => p.readlink(fd, path, len, buffer, bufferLength, out),
      path_link: () => Errno.NOTSUP,
      path_symlink: () => Errno.NOTSUP,
    };
  }

  #misc(): Record<string, HostFunction> {
    return {
      poll_oneoff: (subscriptions: number, events: number, count: number, out: number) => this.#poll(subscriptions, events, count, out),
      sock_accept: () => Errno.NOSYS,
      sock_recv: () => Errno.NOSYS,
      sock_send: () => Errno.NOSYS,
      sock_shutdown: () => Errno.NOSYS,
    };
  }

  /**
   * poll_oneoff: clock subscriptions sleep (blocking the thread, as the guest expects);
   * descriptor subscriptions are always ready, since every descriptor here is synchronous.
   */
  #poll(subscriptions: number, events: number, count: number, out: number): number {
    const view = this.memory.view();
    let sleepNs = -1n;
    let written = 0;
    const clocks: bigint[] = [];
    for (let i = 0; i < count; i++) {
      const base = subscriptions + i * 48;
      const userdata = view.getBigUint64(base, true);
      const tag = view.getUint8(base + 8);
      if (tag === EventType.CLOCK) {
        const timeout = view.getBigUint64(base + 24, true);
        const absolute = (view.getUint16(base + 40, true) & 1) !== 0;
        const relative = absolute ? timeout - now(view.getUint32(base + 16, true)) : timeout;
        sleepNs = sleepNs < 0n || relative < sleepNs ? relative : sleepNs;
        clocks.push(userdata);
      } else {
        this.#writeEvent(events + written++ * 32, userdata, tag);
      }
    }
    if (written === 0 && clocks.length > 0) {
      if (sleepNs > 0n) Atomics.wait(sleepCell, 0, 0, Number(sleepNs / 1_000_000n));
      for (const userdata of clocks) this.#writeEvent(events + written++ * 32, userdata, EventType.CLOCK);
    }
    this.memory.u32(out, written);
    return Errno.SUCCESS;
  }

  #writeEvent(pointer: number, userdata: bigint, type: number): void {
    this.memory.bytes(pointer, 32).fill(0);
    this.memory.u64(pointer, userdata);
    this.memory.u8(pointer + 10, type);
  }
}

function now(clock: number): bigint {
  if (clock === ClockId.REALTIME) return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  return process.hrtime.bigint();
}
