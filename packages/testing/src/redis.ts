// Starts a real redis-server for a test on a free loopback port, in a temporary directory, with AOF
// on (as the apiserver expects in production), and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface RedisOptions {
  /** `everysec` (default) or `always`. */
  appendfsync?: 'everysec' | 'always' | 'no';
  port?: number;
  /** Require this password (AUTH), set in a config file as the launcher does, never on argv. */
  password?: string;
}

export interface RedisHandle {
  url: string;
  port: number;
  dir: string;
  /** Graceful shutdown (SHUTDOWN via SIGTERM), keeping the data directory. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-2000)}`)));
    child.once('error', reject);
  });
}

function waitExit(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-redis-'));
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const conf = join(dir, 'redis.conf');
  await writeFile(conf, opts.password ? `requirepass ${opts.password}\n` : '', { mode: 0o600 });
  const start = async () => {
    child = spawn(
      'redis-server',
      [conf, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', opts.appendfsync ?? 'everysec', '--save', '', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitReady(child);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: () => waitExit(child, 'SIGTERM'),
    kill: () => waitExit(child, 'SIGKILL'),
    destroy: async () => {
      await waitExit(child, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
