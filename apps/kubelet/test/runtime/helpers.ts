// Shared set-up for the runtime tests: builds what they need, makes pod configs, polls.
// Why build here: Workers run compiled JavaScript, and the examples must exist as .wasm; the
// root `npm test` builds first, but `npx vitest run apps/kubelet/test/runtime` alone must work
// too. Builds run only when outputs are missing or older than their sources, under a lock
// directory so parallel test files do not build at once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCriLog } from '@kite/cri';
import type { ContainerConfig, PodSandboxConfig } from '@kite/cri';

export const kubeletDir = fileURLToPath(new URL('../../', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../../../../examples/wasm-pods/', import.meta.url));

const LOCK_DIR = join(tmpdir(), 'kite-runtime-test-build.lock');
const LOCK_STALE_MS = 120_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOrZero(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function withLock(action: () => void): void {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      if (Date.now() > deadline || Date.now() - mtimeOrZero(LOCK_DIR) > LOCK_STALE_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    action();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/**
 * Compiles the Worker entries into dist/ and builds the example images when stale; the JS
 * components (slow: ~20-50 s) only when `components` is set.
 */
export function ensureBuilt({ components = false } = {}): void {
  withLock(() => {
    const entry = join(kubeletDir, 'dist/runtime/wasm/worker/entry.js');
    if (mtimeOrZero(entry) < newestMtime(join(kubeletDir, 'src/runtime'))) {
      execFileSync(process.execPath, [join(kubeletDir, '../../node_modules/typescript/bin/tsc'), '-p', join(kubeletDir, 'test/runtime/tsconfig.worker.json')], { stdio: 'inherit' });
    }
    execFileSync(process.execPath, [join(examplesDir, 'scripts/build.mjs')], { stdio: 'inherit', env: { ...process.env, KITE_WASM_COMPONENTS: components ? '1' : '0' } });
  });
}

const created: string[] = [];

/** A fresh temporary directory, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kite-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes the directories tempDir() made in this test file (call after closing runtimes). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function sandboxConfig(name: string, podIP: string, logDirectory: string): PodSandboxConfig {
  return { uid: `uid-${name}`, name, namespace: 'default', podIP, logDirectory };
}

export function containerConfig(overrides: Partial<ContainerConfig> & Pick<ContainerConfig, 'name' | 'image'>): ContainerConfig {
  return { command: [], args: [], env: [], mounts: [], ports: [], logPath: `${overrides.name}.log`, ...overrides };
}

/** The lines of a CRI log file, stdout and stderr together. */
export function logLines(path: string): string[] {
  return existsSync(path) ? parseCriLog(readFileSync(path, 'utf8')).map((l) => l.line) : [];
}

/** Polls `fn` until it returns a value other than undefined/false, or fails after the timeout. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
}

/** GET a URL on a loopback address and return status and body text. */
export async function get(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}
