// A real redis-server and a real apiserver process for integration tests, on free loopback
// ports. The apiserver must be built (`npx turbo run build --filter=@kite/apiserver...`).
import { startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';
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
    client: new KubeClient({ server: api.url, userAgent: 'client-integration-test' }),
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
