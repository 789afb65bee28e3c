// Builds small images on the engine itself, since no registry can be reached (BRIEF §7): a root
// filesystem holding a statically linked busybox and symlinks for the applets wanted, handed to
// the engine's import (`POST /images/create?fromSrc=-`) with CMD and LABEL changes. Used for the
// pod sandbox ("pause") image and by tests for their workload images. Idempotent: an image
// already present under the reference is kept.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { statusOf } from './engine.js';
import { tarArchive, type TarEntry } from './tar.js';

/** Where Debian's busybox-static (and most distributions) put busybox. */
export const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox'];

export interface BusyboxImageSpec {
  /** `name:tag` to create. */
  ref: string;
  /** Applets to link into /bin (busybox itself is /bin/busybox). */
  applets: readonly string[];
  /** The image's CMD (exec form). */
  cmd?: readonly string[];
  labels?: Record<string, string>;
  /** The busybox binary to use; default: the first of BUSYBOX_CANDIDATES that exists. */
  busybox?: string;
}

/** PT_INTERP: a program header naming a dynamic loader, which a scratch image would lack. */
const PT_INTERP = 3;

/** Whether an ELF binary is statically linked (has no PT_INTERP program header). */
export function isStaticElf(bytes: Buffer): boolean {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const u16 = (o: number) => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
  const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const phoff = is64 ? Number(le ? bytes.readBigUInt64LE(32) : bytes.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) if (u32(phoff + i * phentsize) === PT_INTERP) return false;
  return true;
}

async function busyboxBytes(path: string | undefined): Promise<Buffer> {
  const found = path ?? BUSYBOX_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`no busybox binary found (looked in ${BUSYBOX_CANDIDATES.join(', ')}); install busybox-static`);
  const bytes = await readFile(found);
  if (!isStaticElf(bytes)) throw new Error(`${found} is not a statically linked busybox; install busybox-static`);
  return bytes;
}

export function busyboxRootfs(busybox: Buffer, applets: readonly string[]): Buffer {
  const entries: TarEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', content: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n') },
    { type: 'file', path: 'etc/group', content: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
    { type: 'file', path: 'bin/busybox', content: busybox, mode: 0o755 },
    ...applets.filter((a) => a !== 'busybox').map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
  ];
  return tarArchive(entries);
}

/** The image's id if present, else undefined. */
export async function localImageId(docker: Dockerode, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Creates the image unless it exists; returns its id. */
export async function ensureBusyboxImage(docker: Dockerode, spec: BusyboxImageSpec): Promise<string> {
  const existing = await localImageId(docker, spec.ref);
  if (existing) return existing;
  const rootfs = busyboxRootfs(await busyboxBytes(spec.busybox), spec.applets);
  const colon = spec.ref.lastIndexOf(':');
  const [repo, tag] = colon > spec.ref.lastIndexOf('/') ? [spec.ref.slice(0, colon), spec.ref.slice(colon + 1)] : [spec.ref, 'latest'];
  const changes = [
    'ENV PATH=/bin',
    ...(spec.cmd ? [`CMD ${JSON.stringify(spec.cmd)}`] : []),
    ...Object.entries(spec.labels ?? {}).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
  ];
  const progress = await docker.importImage(Readable.from([rootfs]), { repo, tag, changes });
  await followProgress(docker, progress);
  const id = await localImageId(docker, spec.ref);
  if (!id) throw new Error(`importing ${spec.ref} did not create it`);
  return id;
}

/** Waits for a progress stream (pull, import) to end; rejects on an `error` message in it. */
export function followProgress(docker: Dockerode, stream: NodeJS.ReadableStream, onProgress: () => void = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
      if (err) return reject(err);
      const failed = output.find((o) => o.error || o.errorDetail);
      if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error ?? 'failed'));
      resolve();
    };
    docker.modem.followProgress(stream, done, onProgress);
  });
}
