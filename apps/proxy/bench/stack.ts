// The system under test: redis-server, apiserver, a kubelet whose Wasm runtime daemon runs one
// hello-http pod (as in production), and the proxy. The pod sits behind a Service without a
// selector whose EndpointSlice the benchmark writes itself, so no controller manager is needed
// to measure the data path.
import { PodResource, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startControlPlane, startProxy, type ControlPlane, type ProxyProcess } from '../test/support/cluster.js';
import { startKubelet, type KubeletNode } from '../test/support/node.js';
import { service, slice } from '../test/support/objects.js';

/** The benchmark's own node, service CIDR and image. */
const SUBNET = 62;
const SERVICE_CIDR = '127.45.0.0/24';
const IMAGE = 'hello-http/build/hello-http-v1.wasm';
const POD_PORT = 8080;
const POD_READY_TIMEOUT_MS = 60_000;

export interface Stack {
  /** Straight to the pod: http://podIP:8080/ */
  podURL: string;
  podIP: string;
  /** Through the proxy: http://clusterIP/ */
  clusterURL: string;
  proxy: ProxyProcess;
  stop(): Promise<void>;
}

function helloPod(nodeName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hello-bench', namespace: 'default', labels: { app: 'hello-bench' } },
    spec: {
      nodeName,
      runtimeClassName: 'wasm',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'hello', image: IMAGE, ports: [{ containerPort: POD_PORT }], env: [{ name: 'POD_NAME', value: 'hello-bench' }] }],
    },
  } as Pod;
}

export async function startStack(): Promise<Stack> {
  const cp: ControlPlane = await startControlPlane(SERVICE_CIDR);
  const stops: (() => Promise<void>)[] = [() => cp.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const node: KubeletNode = await startKubelet(cp.apiserver, SUBNET, { wasmInProcess: false });
    stops.push(() => node.stop());
    const proxy = await startProxy(cp.apiserver, node.nodeIP);
    stops.push(() => proxy.stop());
    const pods = cp.client.resource(PodResource);
    await pods.create(helloPod(node.nodeName), { namespace: 'default' });
    const pod = await waitFor(
      async () => {
        const p = await pods.get('hello-bench', { namespace: 'default' });
        return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
      },
      { timeoutMs: POD_READY_TIMEOUT_MS, intervalMs: 100, message: 'hello-bench ready' },
    );
    const podIP = pod.status?.podIP ?? '';
    const svc = await cp.services.create(service('hello-bench'), { namespace: 'default' });
    await cp.slices.create(slice('hello-bench', [podIP], [{ name: 'http', port: POD_PORT }]), { namespace: 'default' });
    const clusterURL = `http://${svc.spec?.clusterIP ?? ''}/`;
    await waitFor(async () => (await fetch(clusterURL).catch(() => undefined))?.status === 200, { message: 'served through the ClusterIP' });
    return { podURL: `http://${podIP}:${POD_PORT}/`, podIP, clusterURL, proxy, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
