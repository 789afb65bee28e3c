// WASI preview1 ABI numbers (errno, file types, flags, rights) used by the host in this folder.
// Why a table of our own: the host is written here (see preview1.ts for why node:wasi is not
// used), and these values are fixed by the wasi_snapshot_preview1 witx definitions.

export const Errno = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

export const FileType = {
  UNKNOWN: 0,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SYMBOLIC_LINK: 7,
} as const;

export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FdFlags = { APPEND: 1 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** Every right preview1 defines (bits 0..29). */
export const RIGHTS_ALL = (1n << 30n) - 1n;

/**
 * Rights that change a file or directory: dropped on read-only mounts so a guest sees, via
 * fd_fdstat_get, what it may not do (the host also refuses these operations with ROFS).
 */
export const RIGHTS_WRITE =
  (1n << 0n) | // fd_datasync
  (1n << 4n) | // fd_sync
  (1n << 6n) | // fd_write
  (1n << 8n) | // fd_allocate
  (1n << 9n) | // path_create_directory
  (1n << 10n) | // path_create_file
  (1n << 11n) | // path_link_source
  (1n << 12n) | // path_link_target
  (1n << 16n) | // path_rename_source
  (1n << 17n) | // path_rename_target
  (1n << 19n) | // path_filestat_set_size
  (1n << 20n) | // path_filestat_set_times
  (1n << 22n) | // fd_filestat_set_size
  (1n << 23n) | // fd_filestat_set_times
  (1n << 24n) | // path_symlink
  (1n << 25n) | // path_remove_directory
  (1n << 26n); // path_unlink_file

/** The rights that make a path_open a write. */
export const RIGHT_FD_WRITE = 1n << 6n;

/** Maps a Node.js error code (ENOENT, ...) to a WASI errno. */
export function errnoFromNode(error: unknown): number {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const table: Record<string, number> = {
    ENOENT: Errno.NOENT,
    EEXIST: Errno.EXIST,
    EACCES: Errno.ACCES,
    EPERM: Errno.PERM,
    EISDIR: Errno.ISDIR,
    ENOTDIR: Errno.NOTDIR,
    ENOTEMPTY: Errno.NOTEMPTY,
    EBADF: Errno.BADF,
    EINVAL: Errno.INVAL,
    EROFS: Errno.ROFS,
    ELOOP: Errno.LOOP,
    ENAMETOOLONG: Errno.NAMETOOLONG,
    ENOSPC: Errno.NOSPC,
    EXDEV: Errno.XDEV,
    EMFILE: Errno.MFILE,
    ESPIPE: Errno.SPIPE,
  };
  return table[code] ?? Errno.IO;
}
