// AssemblyScript file helpers over raw WASI preview1 calls.
// Why: the AssemblyScript WASI shim offers stdio, args and env but no file API, and the
// batch example must read a mounted config file and try writing to a (read-only) mount.
// A guest sees mounts as preopened directories (fd 3, 4, ...); a path is opened relative
// to the preopen whose guest path is its longest prefix, as wasi-libc does.
import {
  errno,
  errnoToString,
  fd_close,
  fd_prestat_dir_name,
  fd_prestat_get,
  fd_read,
  fd_write,
  oflags,
  path_open,
  // AssemblyScript has no `import type`; prestat is a struct type used in a cast.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  prestat,
  rights,
} from "~lib/bindings/wasi_snapshot_preview1";

/** Preopened file descriptors are numbered from 3; stop looking after this many. */
const MAX_PREOPEN_FD: u32 = 64;
/** Bytes read per fd_read call. */
const READ_CHUNK: i32 = 4096;

class Resolved {
  constructor(
    public dirFd: u32,
    public relative: string,
  ) {}
}

/** Outcome of a file operation: the contents (for reads) or an error text. */
export class FileResult {
  constructor(
    public ok: bool,
    public text: string,
  ) {}
}

function preopenName(fd: u32): string | null {
  const prestatBuffer = new ArrayBuffer(8);
  if (fd_prestat_get(fd, changetype<prestat>(prestatBuffer)) != errno.SUCCESS) return null;
  const length = load<u32>(changetype<usize>(prestatBuffer), 4);
  const name = new ArrayBuffer(<i32>length);
  if (fd_prestat_dir_name(fd, changetype<usize>(name), length) != errno.SUCCESS) return null;
  let text = String.UTF8.decode(name, true);
  while (text.length > 1 && text.endsWith("/")) text = text.substring(0, text.length - 1);
  return text;
}

function resolve(path: string): Resolved | null {
  let best: Resolved | null = null;
  let bestLength = -1;
  for (let fd: u32 = 3; fd < MAX_PREOPEN_FD; fd++) {
    const name = preopenName(fd);
    if (name === null) break;
    const prefix = name == "/" ? "/" : name + "/";
    if (path != name && !path.startsWith(prefix)) continue;
    if (name.length <= bestLength) continue;
    let relative = path == name ? "." : path.substring(prefix.length);
    if (relative.length == 0) relative = ".";
    best = new Resolved(fd, relative);
    bestLength = name.length;
  }
  return best;
}

function open(path: string, flags: u16, wanted: u64): i64 {
  const target = resolve(path);
  if (target === null) return -(<i64>errno.NOENT);
  const encoded = String.UTF8.encode(target.relative);
  const fdOut = new ArrayBuffer(4);
  const err = path_open(
    target.dirFd,
    1,
    changetype<usize>(encoded),
    <usize>encoded.byteLength,
    flags,
    wanted,
    0,
    0,
    changetype<usize>(fdOut),
  );
  if (err != errno.SUCCESS) return -(<i64>err);
  return <i64>load<u32>(changetype<usize>(fdOut));
}

/** Reads a whole file as UTF-8 text. */
export function readFile(path: string): FileResult {
  const fd = open(path, 0, rights.FD_READ | rights.FD_SEEK | rights.FD_FILESTAT_GET);
  if (fd < 0) return new FileResult(false, errnoToString(<u16>-fd));
  const chunk = new ArrayBuffer(READ_CHUNK);
  const iov = new ArrayBuffer(8);
  const nread = new ArrayBuffer(4);
  const parts = new Array<string>();
  while (true) {
    store<u32>(changetype<usize>(iov), <u32>changetype<usize>(chunk));
    store<u32>(changetype<usize>(iov), <u32>READ_CHUNK, 4);
    const err = fd_read(<u32>fd, changetype<usize>(iov), 1, changetype<usize>(nread));
    if (err != errno.SUCCESS) {
      fd_close(<u32>fd);
      return new FileResult(false, errnoToString(err));
    }
    const count = load<u32>(changetype<usize>(nread));
    if (count == 0) break;
    parts.push(String.UTF8.decode(chunk.slice(0, <i32>count)));
  }
  fd_close(<u32>fd);
  return new FileResult(true, parts.join(""));
}

/** Creates or truncates a file and writes text to it. */
export function writeFile(path: string, text: string): FileResult {
  const fd = open(path, oflags.CREAT | oflags.TRUNC, rights.FD_WRITE);
  if (fd < 0) return new FileResult(false, errnoToString(<u16>-fd));
  const data = String.UTF8.encode(text);
  const iov = new ArrayBuffer(8);
  const written = new ArrayBuffer(4);
  store<u32>(changetype<usize>(iov), <u32>changetype<usize>(data));
  store<u32>(changetype<usize>(iov), <u32>data.byteLength, 4);
  const err = fd_write(<u32>fd, changetype<usize>(iov), 1, changetype<usize>(written));
  fd_close(<u32>fd);
  if (err != errno.SUCCESS) return new FileResult(false, errnoToString(err));
  return new FileResult(true, "");
}
