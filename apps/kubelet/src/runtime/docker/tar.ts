// A minimal ustar writer: enough to hand the engine a root filesystem for `docker import`
// (directories, regular files, symlinks; short paths; owned by root). Why not a library: the
// format needed here is one 512-byte header per entry, and this keeps the runtime's
// dependencies to dockerode alone.
//   header: name[100] mode[8] uid[8] gid[8] size[12] mtime[12] chksum[8] type[1] linkname[100]
//           "ustar\0" "00" uname[32] gname[32] devmajor[8] devminor[8] prefix[155], padded to 512
//   then the content padded to a multiple of 512; the archive ends with two zero blocks.

const BLOCK = 512;

export type TarEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; content: Uint8Array; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const TYPE_FLAG = { file: '0', symlink: '2', dir: '5' } as const;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const name = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: path too long: ${name}`);
  const mode = entry.type === 'symlink' ? 0o777 : (entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644));
  h.write(name, 0, 100);
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.write(' '.repeat(8), 148);
  h.write(TYPE_FLAG[entry.type], 156);
  if (entry.type === 'symlink') h.write(entry.target, 157, 100);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write('root', 265);
  h.write('root', 297);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

/** Packs the entries into one tar archive, in order. */
export function tarArchive(entries: readonly TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? Buffer.from(entry.content) : Buffer.alloc(0);
    parts.push(header(entry, content.length, mtime), content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
