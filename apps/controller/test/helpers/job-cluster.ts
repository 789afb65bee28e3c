// A cluster of real processes for the Job controller: redis-server, the apiserver over TLS, the
// scheduler, the controller manager (built dist; restartable, so a test can SIGKILL it mid-run)
// and one kubelet running Wasm pods in-process on node IP 127.1.SUBNET.1, pods from
// 127.64.SUBNET.0/24. The batch-config ConfigMap the batch example reads is created per namespace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMapResource, NamespaceResource, type Job, type JobSpec } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { CONTROLLER_MANAGER, SCHEDULER, freePort, startApiServerProcess, startApp, startRedis, waitKubeletHealthy, waitLogged, type ApiServerHandle, type AppProcess } from '@kite/testing';

/** The batch example's image, relative to examples/wasm-pods (the kubelet's image search path). */
export const BATCH_IMAGE = 'batch/build/batch.wasm';
/** Pods a node takes: room for every finished pod of a 200-completion Job. */
const MAX_PODS = '1000';

export interface JobClusterOptions {
  subnet: number;
  /** Controllers the manager runs. */
  controllers: string[];
  /** Extra controller-manager flags. */
  managerArgs?: string[];
}

export interface JobCluster {
  apiserver: ApiServerHandle;
  client: KubeClient;
  manager: AppProcess;
  /** SIGKILLs the controller manager (a crash) and starts a new one. */
  restartManager(): Promise<void>;
  namespace(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobCluster(o: JobClusterOptions): Promise<JobCluster> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    stops.push(() => redis.destroy());
    const apiserver = await startApiServerProcess(redis.url);
    stops.push(() => apiserver.stop());
    const scheduler = await waitLogged(startApp('scheduler', ['--kubeconfig', await apiserver.kubeconfig(SCHEDULER), '--port', '0']), 'scheduler started', 'scheduler');
    stops.push(() => scheduler.stop());
    const managerArgs = ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', o.controllers.join(','), '--port', '0', ...(o.managerArgs ?? [])];
    const startManager = () => waitLogged(startApp('controller', managerArgs, { LOG_LEVEL: 'info' }), 'controller manager started', 'controller manager');
    const cluster = { manager: await startManager() } as JobCluster;
    stops.push(() => cluster.manager.stop());
    const rootDir = await mkdtemp(join(tmpdir(), 'kite-job-kubelet-'));
    stops.push(() => rm(rootDir, { recursive: true, force: true }));
    const nodeName = `node-${o.subnet}`;
    const nodeIP = `127.1.${o.subnet}.1`;
    const port = await freePort(nodeIP);
    const kubeletArgs = [
      ...(await apiserver.kubeletArgs(nodeName, nodeIP)), '--node-name', nodeName, '--node-ip', nodeIP, '--pod-cidr', `127.64.${o.subnet}.0/24`,
      '--root-dir', rootDir, '--port', String(port), '--runtimes', 'wasm', '--wasm-in-process', 'true', '--max-pods', MAX_PODS,
    ];
    const kubelet = startApp('kubelet', kubeletArgs);
    stops.push(() => kubelet.stop());
    await waitKubeletHealthy(nodeIP, port, kubelet);
    const client = new KubeClient(await apiserver.connection());
    return Object.assign(cluster, {
      apiserver,
      client,
      restartManager: async () => {
        await cluster.manager.kill();
        cluster.manager = await startManager();
      },
      namespace: async (name: string) => {
        await client.resource(NamespaceResource).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        await client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-config', namespace: name }, data: { 'config.txt': 'greeting=hello from a ConfigMap\n' } });
      },
      stop,
    });
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface BatchJobOptions extends Partial<JobSpec> {
  /** Extra args of the batch program (`--fail` makes it exit 1). */
  args?: string[];
}

/** A Job of the Wasm batch example: it reads the mounted config and exits 0 (or 1 with --fail). */
export function batchJob(namespace: string, name: string, o: BatchJobOptions = {}): Job {
  const { args = [], ...spec } = o;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: {
      ...spec,
      template: {
        spec: {
          runtimeClassName: 'wasm',
          restartPolicy: 'Never',
          containers: [{ name: 'batch', image: BATCH_IMAGE, args: ['--config', '/config/config.txt', ...args], volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }] }],
          volumes: [{ name: 'config', configMap: { name: 'batch-config' } }],
        },
      },
    },
  };
}
