// Compiles each core module once per (image, memory limit) and keeps the compiled module.
// Why: compiling is the slow part of starting a Wasm container; a compiled
// WebAssembly.Module is shared with every Worker it is posted to, so N pods of one image
// cost one compilation. The limit is part of the key because it is baked into the bytes
// (memory-limit.ts).
import { readFile } from 'node:fs/promises';
import type { StoredImage } from '@kite/cri';
import { imposeMemoryLimit } from '@kite/cri';

export class ModuleCache {
  readonly #modules = new Map<string, Promise<WebAssembly.Module>>();

  get(image: StoredImage, memoryLimitBytes: number | undefined): Promise<WebAssembly.Module> {
    const key = `${image.id}/${memoryLimitBytes ?? 'unlimited'}`;
    let compiled = this.#modules.get(key);
    if (!compiled) {
      compiled = this.#compile(image.path, memoryLimitBytes);
      this.#modules.set(key, compiled);
      compiled.catch(() => this.#modules.delete(key));
    }
    return compiled;
  }

  async #compile(path: string, memoryLimitBytes: number | undefined): Promise<WebAssembly.Module> {
    const bytes = await readFile(path);
    return WebAssembly.compile(memoryLimitBytes === undefined ? bytes : imposeMemoryLimit(bytes, memoryLimitBytes));
  }

  /** Drops compiled modules of an image (running containers keep theirs). */
  forget(imageId: string): void {
    for (const key of [...this.#modules.keys()]) if (key.startsWith(`${imageId}/`)) this.#modules.delete(key);
  }
}
