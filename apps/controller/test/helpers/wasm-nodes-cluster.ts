// A cluster of real parts with several Wasm nodes: redis-server, the apiserver over TLS, the
// scheduler (built dist), the controller manager in-process (so the test reads its own source)
// and one real kubelet per subnet S, node `node-S` at 127.1.S.1 with pods from 127.64.S.0/24.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '@kite/client';
import { createLogger } from '@kite/component-base';
import { CONTROLLER_MANAGER, SCHEDULER, freePort, startApiServerProcess, startApp, startRedis, waitKubeletHealthy, waitLogged, type ApiServerHandle } from '@kite/testing';
import { defaultConfig, type ManagerConfig } from '../../src/manager/config.js';
import { ControllerManager } from '../../src/manager/manager.js';
import { resolveControllers } from '../../src/manager/registry.js';

export interface WasmNodesClusterOptions {
  /** One node per subnet (each test file owns its subnets). */
  subnets: number[];
  /** `--controllers` list of the in-process manager. */
  controllers: string;
  /** Other settings of the in-process manager (a local-path root, say). */
  manager?: Partial<ManagerConfig>;
}

export interface WasmNodesCluster {
  apiserver: ApiServerHandle;
  client: KubeClient;
  nodeNames: string[];
  stop(): Promise<void>;
}

export const nodeNameFor = (subnet: number) => `node-${subnet}`;

export async function startWasmNodesCluster(o: WasmNodesClusterOptions): Promise<WasmNodesCluster> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    stops.push(() => redis.destroy());
    const apiserver = await startApiServerProcess(redis.url, []);
    stops.push(() => apiserver.stop());
    const scheduler = await waitLogged(startApp('scheduler', ['--kubeconfig', await apiserver.kubeconfig(SCHEDULER), '--port', '0']), 'scheduler started', 'scheduler');
    stops.push(() => scheduler.stop());
    const manager = new ControllerManager(
      defaultConfig({ ...o.manager, apiserver: await apiserver.connection(CONTROLLER_MANAGER), controllers: resolveControllers(o.controllers) }),
      createLogger('controller', process.env.LOG_LEVEL ?? 'warn'),
    );
    await manager.start();
    stops.push(() => manager.stop());
    for (const subnet of o.subnets) {
      const rootDir = await mkdtemp(join(tmpdir(), `kite-kubelet-${subnet}-`));
      stops.push(() => rm(rootDir, { recursive: true, force: true }));
      const nodeName = nodeNameFor(subnet);
      const nodeIP = `127.1.${subnet}.1`;
      const port = await freePort(nodeIP);
      const args = [...(await apiserver.kubeletArgs(nodeName, nodeIP)), '--node-name', nodeName, '--node-ip', nodeIP, '--pod-cidr', `127.64.${subnet}.0/24`, '--root-dir', rootDir, '--port', String(port), '--runtimes', 'wasm', '--wasm-in-process', 'true'];
      const kubelet = startApp('kubelet', args);
      stops.push(() => kubelet.stop());
      await waitKubeletHealthy(nodeIP, port, kubelet);
    }
    return { apiserver, client: new KubeClient(await apiserver.connection()), nodeNames: o.subnets.map(nodeNameFor), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
