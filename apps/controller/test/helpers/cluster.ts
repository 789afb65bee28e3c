// A small real cluster for controller tests: redis-server, an apiserver process, hollow nodes,
// and the controller manager in-process (or none, for tests that start it as a process).
import { NamespaceResource, type Deployment, type Namespace } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { createLogger } from '@kite/component-base';
import { CONTROLLER_MANAGER, startApiServerProcess, startRedis, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { defaultConfig, type ManagerConfig } from '../../src/manager/config.js';
import { ControllerManager } from '../../src/manager/manager.js';
import { resolveControllers } from '../../src/manager/registry.js';
import { HollowNodes, type HollowNodesOptions } from './hollow-nodes.js';

export interface ClusterOptions {
  nodes?: number;
  hollow?: Partial<HollowNodesOptions>;
  /** Manager settings; `false` starts no manager. */
  manager?: Partial<ManagerConfig> | false;
  /** `--controllers` list for the in-process manager. */
  controllers?: string;
  /** Extra apiserver flags. */
  apiserverArgs?: string[];
}

export interface TestCluster {
  redis: RedisHandle;
  apiserver: ApiServerHandle;
  client: KubeClient;
  hollow: HollowNodes;
  manager: ControllerManager | undefined;
  startManager(cfg?: Partial<ManagerConfig>): Promise<ControllerManager>;
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const redis = await startRedis();
  const apiserver = await startApiServerProcess(redis.url, opts.apiserverArgs ?? []);
  const admin = await apiserver.connection();
  const client = new KubeClient(admin);
  const hollow = new HollowNodes({ apiserver: admin, count: opts.nodes ?? 3, heartbeatMs: 1000, ...opts.hollow });
  await hollow.start();
  const managers: ControllerManager[] = [];
  const startManager = async (cfg: Partial<ManagerConfig> = {}) => {
    const m = new ControllerManager(
      defaultConfig({ apiserver: await apiserver.connection(CONTROLLER_MANAGER), controllers: resolveControllers(opts.controllers ?? '*'), nodeMonitorPeriodMs: 200, ...cfg }),
      createLogger('controller', process.env.LOG_LEVEL ?? 'warn'),
    );
    await m.start();
    managers.push(m);
    return m;
  };
  const manager = opts.manager === false ? undefined : await startManager(opts.manager);
  return {
    redis,
    apiserver,
    client,
    hollow,
    manager,
    startManager,
    async stop() {
      await Promise.all(managers.map((m) => m.stop()));
      await hollow.stop();
      await apiserver.stop();
      await redis.destroy();
    },
  };
}

export async function createNamespace(client: KubeClient, name: string): Promise<Namespace> {
  return client.resource(NamespaceResource).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export interface DeploymentSpecOptions {
  replicas: number;
  image?: string;
  strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number }[];
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export function deployment(namespace: string, name: string, o: DeploymentSpecOptions): Deployment {
  const labels = o.labels ?? { app: name };
  const strategy =
    o.strategy === 'Recreate'
      ? { type: 'Recreate' as const }
      : { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: o.maxSurge ?? '25%', maxUnavailable: o.maxUnavailable ?? '25%' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: labels },
      strategy,
      ...(o.paused ? { paused: true } : {}),
      ...(o.progressDeadlineSeconds ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: o.image ?? 'hello.wasm', ...(o.ports ? { ports: o.ports } : {}) }] },
      },
    },
  };
}
