// Prepares component images: transpiles each once (on disk, per image digest, so a kubelet
// restart reuses it) and compiles its core modules once per memory limit.
// Contract: prepare() resolves to the transpiled folder, its exports and compiled core
// modules, or rejects with a RuntimeError; concurrent calls for one image share the work.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '@kite/cri';
import type { StoredImage } from '@kite/cri';
import { imposeMemoryLimit } from '@kite/cri';
import type { TranspiledComponent, TranspileJob } from './worker/transpile-entry.js';
import { workerEntryUrl, workerExecArgv } from './worker-url.js';

export interface PreparedComponent {
  dir: string;
  exportsHttp: boolean;
  exportsRun: boolean;
  coreModules: Record<string, WebAssembly.Module>;
}

type TranspileReply = { ok: true; meta: TranspiledComponent } | { ok: false; message: string };

function runTranspiler(job: TranspileJob): Promise<TranspiledComponent> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerEntryUrl('transpile-entry'), { workerData: job, env: {}, execArgv: workerExecArgv() });
    worker.once('message', (reply: TranspileReply) => (reply.ok ? resolve(reply.meta) : reject(new Error(reply.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`transpiler exited with ${code}`)));
  });
}

export class ComponentCache {
  readonly #dir: string;
  readonly #transpiled = new Map<string, Promise<TranspiledComponent>>();
  readonly #compiled = new Map<string, Promise<Record<string, WebAssembly.Module>>>();

  constructor(cacheDir: string) {
    this.#dir = join(cacheDir, 'components');
  }

  async prepare(image: StoredImage, memoryLimitBytes: number | undefined): Promise<PreparedComponent> {
    const dir = join(this.#dir, image.digest);
    const meta = await this.#transpile(image, dir);
    const key = `${image.id}/${memoryLimitBytes ?? 'unlimited'}`;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = this.#compile(dir, meta.coreModules, memoryLimitBytes);
      this.#compiled.set(key, compiled);
      compiled.catch(() => this.#compiled.delete(key));
    }
    return {
      dir,
      exportsHttp: meta.exports.some((e) => e.startsWith('wasi:http/incoming-handler@')),
      exportsRun: meta.exports.some((e) => e.startsWith('wasi:cli/run@')),
      coreModules: await compiled,
    };
  }

  #transpile(image: StoredImage, dir: string): Promise<TranspiledComponent> {
    let pending = this.#transpiled.get(image.id);
    if (!pending) {
      pending = existsSync(join(dir, 'meta.json'))
        ? readFile(join(dir, 'meta.json'), 'utf8').then((text) => JSON.parse(text) as TranspiledComponent)
        : runTranspiler({ componentPath: image.path, outDir: dir });
      pending = pending.catch((error: unknown) => {
        this.#transpiled.delete(image.id);
        throw new RuntimeError('Internal', `cannot transpile component ${image.id}: ${(error as Error).message}`);
      });
      this.#transpiled.set(image.id, pending);
    }
    return pending;
  }

  async #compile(dir: string, files: string[], memoryLimitBytes: number | undefined): Promise<Record<string, WebAssembly.Module>> {
    const entries = await Promise.all(
      files.map(async (file) => {
        const bytes = await readFile(join(dir, file));
        return [file, await WebAssembly.compile(memoryLimitBytes === undefined ? bytes : imposeMemoryLimit(bytes, memoryLimitBytes))] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  forget(imageId: string): void {
    this.#transpiled.delete(imageId);
    for (const key of [...this.#compiled.keys()]) if (key.startsWith(`${imageId}/`)) this.#compiled.delete(key);
  }
}
