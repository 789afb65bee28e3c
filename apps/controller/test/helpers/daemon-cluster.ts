// A cluster of real processes for the DaemonSet tests (control-plane.ts: redis-server, the
// apiserver over TLS, the scheduler, the built controller manager with the controllers asked for)
// and kubelets with the Wasm runtime in-process, each on its own node IP. Node k (1-based) of
// subnet S has node IP 127.1.S.k and, unless `podCIDR` says otherwise, pods from
// 127.64.(S+k).0/24, so a test file owning subnets S..S+4 runs up to four nodes; more can join
// later (`addNode`).
import { KubeClient } from '@kite/client';
import type { ApiServerHandle } from '@kite/testing';
import { startControlPlane, startWasmKubelet, Teardown } from './control-plane.js';

export interface DaemonClusterOptions {
  subnet: number;
  nodes: number;
  controllers: string[];
  /** The pod CIDR of node k (1-based). */
  podCIDR?: (k: number) => string;
}

export interface DaemonCluster {
  apiserver: ApiServerHandle;
  client: KubeClient;
  /** Node names in the order they joined. */
  nodes: string[];
  /** Starts kubelet number nodes.length + 1 and waits until it serves. */
  addNode(): Promise<string>;
  stop(): Promise<void>;
}

/** Longest a kubelet may take to serve /healthz on a loaded machine. */
const KUBELET_START_TIMEOUT_MS = 60_000;

export async function startDaemonCluster(o: DaemonClusterOptions): Promise<DaemonCluster> {
  const teardown = new Teardown();
  try {
    const { apiserver } = await startControlPlane({ controllers: o.controllers }, teardown);
    const nodes: string[] = [];
    const podCIDR = o.podCIDR ?? ((k: number) => `127.64.${o.subnet + k}.0/24`);
    const addNode = async () => {
      const k = nodes.length + 1;
      const nodeName = `ds-node-${k}`;
      await startWasmKubelet(apiserver, { nodeName, nodeIP: `127.1.${o.subnet}.${k}`, podCIDR: podCIDR(k), startTimeoutMs: KUBELET_START_TIMEOUT_MS }, teardown);
      nodes.push(nodeName);
      return nodeName;
    };
    for (let i = 0; i < o.nodes; i++) await addNode();
    return { apiserver, client: new KubeClient(await apiserver.connection()), nodes, addNode, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
