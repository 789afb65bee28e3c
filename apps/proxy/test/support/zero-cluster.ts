// A whole cluster for scale from zero, all real processes: redis, the apiserver (serving the
// custom metrics API from the proxies' counters, at a short --metric-resolution), the scheduler,
// the controller manager (ReplicaSets, Deployments, EndpointSlices and idle scale-to-zero, with a
// short --scale-to-zero-sync-period), one kubelet, and the proxy on the kubelet's node IP at
// kube-proxy's port 10256 (where the apiserver scrapes it). Extra proxies can be added; they are
// stopped with the cluster. Used by the end-to-end test and by the cold-start benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeploymentResource, PodResource, ReplicaSetResource, SCALE_TO_ZERO_AFTER_ANNOTATION, type Deployment, type Pod, type ReplicaSet, type Service } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';
import { CONTROLLER_MANAGER, SCHEDULER, repoRoot, startApp, waitFor, type AppProcess } from '@kite/testing';
import { startControlPlane, startProxy, type ControlPlane, type ProxyProcess } from './cluster.js';
import { startKubelet, type KubeletNode } from './node.js';

const EXAMPLE = join(repoRoot, 'examples', 'wasm-pods', 'hello-http');
/** kube-proxy's metrics port: the apiserver scrapes NODE_IP:10256/metrics. */
export const PROXY_METRICS_PORT = 10256;
const CONTROLLERS = ['replicaset', 'deployment', 'endpointslice', 'scaletozero'];
/** Grace period of the pods: Wasm pods stop at once; no need to wait 30 s. */
const GRACE_SECONDS = 2;
const START_TIMEOUT_MS = 30_000;

export interface ZeroClusterOptions {
  subnet: number;
  serviceCIDR: string;
  /** The apiserver's --metric-resolution (how often it scrapes kubelets and proxies); its default when absent. */
  metricResolution?: string;
  /** The controller manager's --scale-to-zero-sync-period. */
  syncPeriod: string;
  /** The kubelet's --runtimes (default wasm). */
  runtimes?: string;
  /** Run the kubelet's Wasm runtime as the separate daemon production uses (benchmarks). */
  wasmDaemon?: boolean;
  /** Flags of the node's proxy. */
  proxyArgs?: string[];
  /** More controllers to run (e.g. horizontalpodautoscaling) and their flags. */
  extraControllers?: string[];
  managerArgs?: string[];
}

export interface ZeroCluster {
  cp: ControlPlane;
  node: KubeletNode;
  /** The node's proxy, on the node IP at PROXY_METRICS_PORT. */
  proxy: ProxyProcess;
  deployments: ResourceClient<Deployment>;
  replicaSets: ResourceClient<ReplicaSet>;
  pods: ResourceClient<Pod>;
  /** Another proxy (another node's, say) on `nodeIP`; stopped with the cluster. */
  addProxy(nodeIP: string, args: string[]): Promise<ProxyProcess>;
  stop(): Promise<void>;
}

async function started(proc: AppProcess, line: string, what: string): Promise<AppProcess> {
  await waitFor(() => {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output().slice(-3000)}`);
    return proc.output().includes(line);
  }, { timeoutMs: START_TIMEOUT_MS, message: `${what} started` });
  return proc;
}

export async function startZeroCluster(o: ZeroClusterOptions): Promise<ZeroCluster> {
  const cp = await startControlPlane(o.serviceCIDR, o.metricResolution ? ['--metric-resolution', o.metricResolution] : []);
  const stops: (() => Promise<void>)[] = [() => cp.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const api = cp.apiserver;
    const scheduler = await started(startApp('scheduler', ['--kubeconfig', await api.kubeconfig(SCHEDULER), '--port', '0']), 'scheduler started', 'scheduler');
    stops.push(() => scheduler.stop());
    const managerArgs = ['--kubeconfig', await api.kubeconfig(CONTROLLER_MANAGER), '--controllers', [...CONTROLLERS, ...(o.extraControllers ?? [])].join(','), '--port', '0', '--scale-to-zero-sync-period', o.syncPeriod, ...(o.managerArgs ?? [])];
    const manager = await started(startApp('controller', managerArgs), 'controller manager started', 'controller manager');
    stops.push(() => manager.stop());
    const node = await startKubelet(api, o.subnet, { runtimes: o.runtimes, wasmInProcess: !o.wasmDaemon });
    stops.push(() => node.stop());
    const proxy = await startProxy(api, node.nodeIP, o.proxyArgs ?? [], PROXY_METRICS_PORT);
    stops.push(() => proxy.stop());
    return {
      cp,
      node,
      proxy,
      deployments: cp.client.resource(DeploymentResource),
      replicaSets: cp.client.resource(ReplicaSetResource),
      pods: cp.client.resource(PodResource),
      addProxy: async (nodeIP, args) => {
        const p = await startProxy(api, nodeIP, args);
        stops.push(() => p.stop());
        return p;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function manifest<T>(file: string): T {
  return parse(readFileSync(join(EXAMPLE, file), 'utf8')) as T;
}

type PodSpec = NonNullable<NonNullable<Deployment['spec']>['template']['spec']>;

/**
 * examples/wasm-pods/hello-http/deployment.yaml renamed to `name` (labels app=NAME), at 0
 * replicas, annotated `kite.dev/scale-to-zero-after: AFTER`; `pod` may rewrite its pod spec (a
 * missing image, the Docker equivalent).
 */
export function zeroDeployment(name: string, after: string, pod: (spec: PodSpec) => PodSpec = (s) => s): Deployment {
  const d = manifest<Deployment>('deployment.yaml');
  const labels = { app: name };
  const template = d.spec?.template;
  const spec = pod({ ...(template?.spec as PodSpec), terminationGracePeriodSeconds: GRACE_SECONDS });
  return {
    ...d,
    metadata: { ...d.metadata, name, labels, annotations: { [SCALE_TO_ZERO_AFTER_ANNOTATION]: after } },
    spec: { ...d.spec, replicas: 0, selector: { matchLabels: labels }, template: { ...template, metadata: { labels }, spec } },
  } as Deployment;
}

/** examples/wasm-pods/hello-http/service.yaml renamed to `name`, selecting app=NAME. */
export function zeroService(name: string, type: 'ClusterIP' | 'NodePort' = 'ClusterIP'): Service {
  const s = manifest<Service>('service.yaml');
  return { ...s, metadata: { ...s.metadata, name }, spec: { ...s.spec, type, selector: { app: name } } };
}

/** The pods of Deployment `name` (label app=NAME), leaving out those being deleted unless `all`. */
export async function podsOf(c: ZeroCluster, name: string, all = false): Promise<Pod[]> {
  const items = (await c.pods.list({ namespace: 'default', labelSelector: `app=${name}` })).items;
  return all ? items : items.filter((p) => !p.metadata.deletionTimestamp);
}
