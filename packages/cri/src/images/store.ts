// The Wasm image store: pulls images into a content-addressed cache and remembers which
// references name which image.
// Contract: pull(ref) reads the bytes once (file or loopback URL), checks they are Wasm,
// stores them as <cacheDir>/blobs/sha256/<hex>.wasm (written once, atomically) and returns
// the image; the id is `sha256:<hex>` of the bytes. Every failure is an ImagePullError.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImagePullError } from '../errors.js';
import type { ImageInfo } from '../types.js';
import { inspectBinary, type BinaryKind } from './inspect.js';
import { resolveImageRef, type ImageSource } from './reference.js';

/** Largest image accepted (a JS component is ~13 MB). */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
/** How long an HTTP pull may take. */
export const PULL_TIMEOUT_MS = 30_000;

export interface StoredImage {
  id: string;
  /** Hex digest, the blob's file name stem. */
  digest: string;
  kind: BinaryKind;
  size: number;
  /** Path of the cached blob. */
  path: string;
  references: Set<string>;
}

export interface ImageStoreOptions {
  cacheDir: string;
  searchPath: readonly string[];
}

async function readSource(ref: string, source: ImageSource): Promise<Uint8Array> {
  if (source.kind === 'file') {
    try {
      const info = await stat(source.path);
      if (!info.isFile()) throw new ImagePullError('ErrImagePull', `image ${ref}: ${source.path} is not a file`);
      if (info.size > MAX_IMAGE_BYTES) throw new ImagePullError('ErrImagePull', `image ${ref} is larger than ${MAX_IMAGE_BYTES} bytes`);
      return await readFile(source.path);
    } catch (error) {
      if (error instanceof ImagePullError) throw error;
      throw new ImagePullError('ErrImagePull', `image ${ref}: cannot read ${source.path}: ${(error as Error).message}`);
    }
  }
  return fetchLoopback(ref, source.url);
}

async function fetchLoopback(ref: string, url: URL): Promise<Uint8Array> {
  let response: Response;
  try {
    // Redirects are refused: following one could leave the loopback network.
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(PULL_TIMEOUT_MS) });
  } catch (error) {
    throw new ImagePullError('ErrImagePull', `image ${ref}: fetch failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ImagePullError('ErrImagePull', `image ${ref}: HTTP ${response.status}`);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.length > MAX_IMAGE_BYTES) throw new ImagePullError('ErrImagePull', `image ${ref} is larger than ${MAX_IMAGE_BYTES} bytes`);
  return body;
}

export class ImageStore {
  readonly #options: ImageStoreOptions;
  readonly #byId = new Map<string, StoredImage>();
  readonly #byRef = new Map<string, StoredImage>();

  constructor(options: ImageStoreOptions) {
    this.#options = options;
  }

  async pull(ref: string): Promise<StoredImage> {
    const source = resolveImageRef(ref, this.#options.searchPath);
    const bytes = await readSource(ref, source);
    const kind = inspectBinary(ref, bytes);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const path = await this.#storeBlob(digest, bytes);
    const image = this.#byId.get(`sha256:${digest}`) ?? { id: `sha256:${digest}`, digest, kind, size: bytes.length, path, references: new Set<string>() };
    this.#forgetRef(ref);
    image.references.add(ref);
    this.#byId.set(image.id, image);
    this.#byRef.set(ref, image);
    return image;
  }

  async #storeBlob(digest: string, bytes: Uint8Array): Promise<string> {
    const dir = join(this.#options.cacheDir, 'blobs', 'sha256');
    const path = join(dir, `${digest}.wasm`);
    try {
      await stat(path);
      return path;
    } catch {
      await mkdir(dir, { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
      return path;
    }
  }

  #forgetRef(ref: string): void {
    const previous = this.#byRef.get(ref);
    if (!previous) return;
    previous.references.delete(ref);
    this.#byRef.delete(ref);
  }

  status(ref: string): StoredImage | undefined {
    return this.#byRef.get(ref) ?? this.#byId.get(ref);
  }

  list(): StoredImage[] {
    return [...this.#byId.values()];
  }

  /** The CRI ImageStatus answer: the image pulled as `ref`, or undefined. */
  info(ref: string): ImageInfo | undefined {
    const image = this.status(ref);
    return image ? toImageInfo(image) : undefined;
  }

  /** The CRI ListImages answer. */
  infos(): ImageInfo[] {
    return this.list().map(toImageInfo);
  }

  remove(ref: string): void {
    const image = this.status(ref);
    if (!image) return;
    for (const r of image.references) this.#byRef.delete(r);
    this.#byId.delete(image.id);
  }
}

export function toImageInfo(image: StoredImage): ImageInfo {
  return { id: image.id, references: [...image.references], size: image.size };
}
