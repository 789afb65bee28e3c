// Finds the runtime daemon of a node, or starts it: a detached process (its own session, so it
// survives the kubelet) whose socket, pid file and log live under the kubelet's root directory.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@kite/component-base';
import { RemoteRuntime } from '@kite/cri';

/** How long a freshly started daemon may take to open its socket. */
const START_TIMEOUT_MS = 15_000;

export interface DaemonPaths {
  socket: string;
  pidFile: string;
  logFile: string;
}

export function daemonPaths(rootDir: string, runtime: string): DaemonPaths {
  const dir = join(rootDir, 'runtime');
  return { socket: join(dir, `${runtime}.sock`), pidFile: join(dir, `${runtime}.pid`), logFile: join(dir, `${runtime}.log`) };
}

async function tryConnect(name: 'wasm', socket: string, respawn?: () => Promise<void>): Promise<RemoteRuntime | undefined> {
  const rt = new RemoteRuntime({ name, socketPath: socket, ...(respawn ? { respawn } : {}) });
  try {
    await rt.connect();
    return rt;
  } catch {
    await rt.close();
    return undefined;
  }
}

export async function connectWasmDaemon(rootDir: string, imagePath: string[], log: Logger): Promise<RemoteRuntime> {
  const paths = daemonPaths(rootDir, 'wasm');
  const respawn = async () => {
    log.warn({ socket: paths.socket }, 'the wasm runtime daemon is gone; starting it again');
    void (await startDaemon(rootDir, imagePath, paths, log)).close();
  };
  const existing = await tryConnect('wasm', paths.socket, respawn);
  if (existing) {
    log.info({ socket: paths.socket }, 'reconnected to the running wasm runtime daemon');
    return existing;
  }
  return startDaemon(rootDir, imagePath, paths, log, respawn);
}

async function startDaemon(rootDir: string, imagePath: string[], paths: DaemonPaths, log: Logger, respawn?: () => Promise<void>): Promise<RemoteRuntime> {
  mkdirSync(dirname(paths.socket), { recursive: true });
  const out = openSync(paths.logFile, 'a');
  const main = join(dirname(fileURLToPath(import.meta.url)), 'daemon-main.js');
  const child = spawn(
    process.execPath,
    [main, '--socket', paths.socket, '--pid-file', paths.pidFile, '--image-path', imagePath.join(':'), '--image-cache', join(rootDir, 'images', 'wasm')],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const rt = await tryConnect('wasm', paths.socket, respawn);
    if (rt) {
      log.info({ socket: paths.socket, pid: child.pid }, 'started the wasm runtime daemon');
      return rt;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the wasm runtime daemon did not open ${paths.socket}; see ${paths.logFile}`);
}

/** Stops a node's runtime daemon (and with it every pod it runs), if one is running. */
export function stopDaemon(rootDir: string, runtime: string): boolean {
  try {
    const pid = Number(readFileSync(daemonPaths(rootDir, runtime).pidFile, 'utf8'));
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
