// A real redis-server and a real apiserver process for integration tests, on free loopback
// ports. The apiserver must be built (`npx turbo run build --filter=@kite/apiserver...`).
import { startApiServerProcess, startRedis, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { KubeClient } from '../../src/kube-client.js';

export interface Env {
  redis: RedisHandle;
  api: ApiServerHandle;
  client: KubeClient;
  close(): Promise<void>;
}

export async function startEnv(apiArgs: string[] = []): Promise<Env> {
  const redis = await startRedis();
  let api: ApiServerHandle;
  try {
    api = await startApiServerProcess(redis.url, apiArgs);
  } catch (err) {
    await redis.destroy();
    throw err;
  }
  const env: Env = {
    redis,
    api,
    client: new KubeClient({ ...(await api.connection()), userAgent: 'client-integration-test' }),
    close: async () => {
      await env.api.stop();
      await redis.destroy();
    },
  };
  return env;
}

/** A short unique name for objects of one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Restarts a stopped apiserver on its old port, retrying while the port is taken. The port came
 * from the kernel's ephemeral range, so while the server was down an outgoing connection of any
 * process may have been given it as its local port (EADDRINUSE until that connection closes).
 */
export async function restartOnSamePort(api: ApiServerHandle): Promise<ApiServerHandle> {
  return waitFor(() => api.restart().catch(() => undefined), { timeoutMs: 30_000, intervalMs: 200, message: `apiserver to restart on port ${api.port}` });
}
