// A cluster of real processes for the HorizontalPodAutoscaler: redis-server, the apiserver over
// TLS (metrics APIs at a short --metric-resolution), the scheduler, the controller manager (built
// dist, with the HPA flags given) and one kubelet with the Wasm runtime on node IP
// 127.1.SUBNET.1, pods from 127.64.SUBNET.0/24.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '@kite/client';
import { CONTROLLER_MANAGER, SCHEDULER, freePort, startApiServerProcess, startApp, startRedis, waitKubeletHealthy, waitLogged, type ApiServerHandle, type AppProcess } from '@kite/testing';

export interface HpaClusterOptions {
  subnet: number;
  metricResolution: string;
  /** Extra controller-manager flags (the --horizontal-pod-autoscaler-* ones). */
  managerArgs: string[];
  controllers: string[];
}

export interface HpaCluster {
  apiserver: ApiServerHandle;
  client: KubeClient;
  manager: AppProcess;
  nodeIP: string;
  stop(): Promise<void>;
}

export async function startHpaCluster(o: HpaClusterOptions): Promise<HpaCluster> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    stops.push(() => redis.destroy());
    const apiserver = await startApiServerProcess(redis.url, ['--metric-resolution', o.metricResolution]);
    stops.push(() => apiserver.stop());
    const scheduler = await waitLogged(startApp('scheduler', ['--kubeconfig', await apiserver.kubeconfig(SCHEDULER), '--port', '0']), 'scheduler started', 'scheduler');
    stops.push(() => scheduler.stop());
    const managerArgs = ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', o.controllers.join(','), '--port', '0', ...o.managerArgs];
    const manager = await waitLogged(startApp('controller', managerArgs, { LOG_LEVEL: 'info' }), 'controller manager started', 'controller manager');
    stops.push(() => manager.stop());
    const rootDir = await mkdtemp(join(tmpdir(), 'kite-hpa-kubelet-'));
    stops.push(() => rm(rootDir, { recursive: true, force: true }));
    const nodeName = `node-${o.subnet}`;
    const nodeIP = `127.1.${o.subnet}.1`;
    const port = await freePort(nodeIP);
    const kubeletArgs = [...(await apiserver.kubeletArgs(nodeName, nodeIP)), '--node-name', nodeName, '--node-ip', nodeIP, '--pod-cidr', `127.64.${o.subnet}.0/24`, '--root-dir', rootDir, '--port', String(port), '--runtimes', 'wasm', '--wasm-in-process', 'true'];
    const kubelet = startApp('kubelet', kubeletArgs);
    stops.push(() => kubelet.stop());
    await waitKubeletHealthy(nodeIP, port, kubelet);
    return { apiserver, client: new KubeClient(await apiserver.connection()), manager, nodeIP, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
