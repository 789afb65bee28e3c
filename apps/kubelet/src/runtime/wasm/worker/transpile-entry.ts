// A one-off Worker that transpiles a component with jco (js-component-bindgen) into a folder:
// component.js (instantiation mode: the host supplies imports and compiled core modules),
// its core .wasm files, a package.json marking the folder as ES modules, and meta.json.
// Why a Worker: transpiling a 13 MB JS component runs synchronous Wasm for seconds, which
// must not stall the kubelet thread.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { transpileBytes } from '@bytecodealliance/jco-transpile';

export interface TranspileJob {
  componentPath: string;
  outDir: string;
}

/** What a transpiled component offers; written to meta.json beside it. */
export interface TranspiledComponent {
  exports: string[];
  coreModules: string[];
}

async function transpile({ componentPath, outDir }: TranspileJob): Promise<TranspiledComponent> {
  const staging = `${outDir}.staging-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  const result = await transpileBytes(await readFile(componentPath), { name: 'component', instantiation: 'async', outDir: staging, emitTypescriptDeclarations: false });
  for (const [path, bytes] of Object.entries(result.files)) await writeFile(path.startsWith('/') ? path : join(staging, path), bytes);
  const meta: TranspiledComponent = {
    exports: result.exports.map(([name]) => name),
    coreModules: Object.keys(result.files).filter((f) => f.endsWith('.wasm')).map((f) => basename(f)),
  };
  await writeFile(join(staging, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(staging, 'meta.json'), JSON.stringify(meta));
  await rename(staging, outDir);
  return meta;
}

const port = parentPort;
if (!port) throw new Error('transpile-entry.ts must run in a Worker');
transpile(workerData as TranspileJob).then(
  (meta) => port.postMessage({ ok: true, meta }),
  (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
