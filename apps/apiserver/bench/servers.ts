// The servers under test: a real redis-server and real apiserver processes, all on 127.0.0.1,
// started through @kite/testing (HTTPS, the test PKI). Whatever happens to the run (error,
// signal, watchdog), `stop` ends exactly the processes this module started.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';

export interface Servers {
  redis: RedisHandle;
  server: ApiServerHandle;
}

/** The preload that lets the bench profile the apiserver phase by phase (see the file). */
function preloadPath(benchDir: string): string {
  return join(benchDir, 'cpu-profile-preload.mjs');
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export class ServerSet {
  private redis: RedisHandle | undefined;
  private apiservers: ApiServerHandle[] = [];

  /**
   * A fresh Redis and one apiserver with the default flags (authorization Node,RBAC, every
   * default admission plugin). `profileDir` set: the apiserver is started with the profiling
   * preload writing there.
   */
  async start(benchDir: string, profileDir?: string): Promise<Servers> {
    const redis = (this.redis = await startRedis());
    // The environment reaches only the apiserver child, read when it spawns, then restored.
    const saved = { options: process.env.NODE_OPTIONS, dir: process.env.KITE_CPU_PROF_DIR };
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${preloadPath(benchDir)}`.trim();
      process.env.KITE_CPU_PROF_DIR = profileDir;
    }
    try {
      return { redis, server: await this.addApiServer() };
    } finally {
      restoreEnv('NODE_OPTIONS', saved.options);
      restoreEnv('KITE_CPU_PROF_DIR', saved.dir);
    }
  }

  /** Another apiserver process on the same Redis, with `extraArgs` on top of the test PKI's flags. */
  async addApiServer(extraArgs: string[] = []): Promise<ApiServerHandle> {
    if (!this.redis) throw new Error('addApiServer before start');
    const server = await startApiServerProcess(this.redis.url, extraArgs);
    this.apiservers.push(server);
    return server;
  }

  /** Stops the apiservers (SIGTERM, then SIGKILL) and destroys Redis and its directory. */
  async stop(): Promise<void> {
    const { apiservers, redis } = this;
    this.apiservers = [];
    this.redis = undefined;
    await Promise.all(apiservers.map((s) => s.stop().catch(() => undefined)));
    await redis?.destroy().catch(() => undefined);
  }
}
