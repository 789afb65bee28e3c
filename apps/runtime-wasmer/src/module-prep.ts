// Prepares an image's module for one memory limit, at create time: the SDK has no memory limit
// of its own, so the limit is written into the module's memory maximum (imposeMemoryLimit) and
// the result stored once under the root directory, where a container's child process loads it.
// Files are content-addressed by image digest and limit in pages, written atomically.
// A module whose initial memory exceeds the limit throws InitialMemoryExceedsLimit.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imposeMemoryLimit, WASM_PAGE_BYTES, type StoredImage } from '@kite/cri';

export class PreparedModules {
  readonly #dir: string;
  /** `digest:pages` → path of the prepared module. */
  readonly #paths = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The module file to run `image` with `limitBytes` (the image's own blob when there is no limit). */
  async prepare(image: StoredImage, limitBytes: number | undefined): Promise<string> {
    if (limitBytes === undefined) return image.path;
    const pages = Math.floor(limitBytes / WASM_PAGE_BYTES);
    const key = `${image.digest}:${pages}`;
    const known = this.#paths.get(key);
    if (known) return known;
    const bytes = imposeMemoryLimit(await readFile(image.path), limitBytes);
    const path = join(this.#dir, `${image.digest}-${pages}p.wasm`);
    await this.#writeOnce(path, bytes);
    this.#paths.set(key, path);
    return path;
  }

  async #writeOnce(path: string, bytes: Uint8Array): Promise<void> {
    try {
      await stat(path);
    } catch {
      await mkdir(this.#dir, { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    }
  }

  /** Forgets the prepared copies of an image (its files stay for running containers). */
  forget(image: StoredImage): void {
    for (const key of [...this.#paths.keys()]) if (key.startsWith(`${image.digest}:`)) this.#paths.delete(key);
  }
}
