// A cluster of real processes for the HorizontalPodAutoscaler: redis-server, the apiserver over
// TLS (metrics APIs at a short --metric-resolution), the scheduler, the controller manager (built
// dist, with the HPA flags given) and one kubelet with the Wasm runtime on node IP
// 127.1.SUBNET.1, pods from 127.64.SUBNET.0/24.
import { KubeClient } from '@kite/client';
import type { ApiServerHandle, AppProcess } from '@kite/testing';
import { startControlPlane, startWasmKubelet, Teardown } from './control-plane.js';

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
  const teardown = new Teardown();
  try {
    const { apiserver, manager } = await startControlPlane({ controllers: o.controllers, managerArgs: o.managerArgs, apiserverArgs: ['--metric-resolution', o.metricResolution] }, teardown);
    const nodeIP = `127.1.${o.subnet}.1`;
    await startWasmKubelet(apiserver, { nodeName: `node-${o.subnet}`, nodeIP, podCIDR: `127.64.${o.subnet}.0/24` }, teardown);
    return { apiserver, client: new KubeClient(await apiserver.connection()), manager, nodeIP, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
