// Finds the JavaScript file a container's Worker runs.
// Why: Workers need plain JavaScript, but vitest runs the kubelet from TypeScript sources.
// Next to a compiled runtime (dist/) the entry is a sibling file; from sources it is the
// compiled twin under dist/, which `npm run build` (or the runtime tests' setup) produces.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Worker entry files under ./worker/: a container's Worker, or the component transpiler. */
export type WorkerEntry = 'entry' | 'transpile-entry';

export function workerEntryUrl(entry: WorkerEntry = 'entry'): URL {
  const sibling = new URL(`./worker/${entry}.js`, import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const compiled = new URL(sibling.href.replace('/src/runtime/', '/dist/runtime/'));
  if (existsSync(fileURLToPath(compiled))) return compiled;
  throw new Error(`Wasm worker entry not built: run \`npm run build -w @kite/kubelet\` (looked for ${fileURLToPath(compiled)})`);
}

/**
 * Node options for container Workers: the parent's, less `--conditions`. Why: the test runner
 * resolves workspace packages to their TypeScript sources (the `source` condition), and a Worker
 * running compiled JavaScript must resolve them to their builds as plain Node does.
 */
export function workerExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i] ?? '';
    if (arg === '--conditions' || arg === '-C') i++;
    else if (!arg.startsWith('--conditions=') && !arg.startsWith('-C=')) out.push(arg);
  }
  return out;
}
