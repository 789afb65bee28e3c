// A real cluster for volume-binding tests: redis-server, a TLS apiserver process, one real
// kubelet process per subnet (Wasm runtime, node IP 127.1.S.1, pods 127.64.S.0/24), the scheduler
// in-process with its own identity, and optionally the controller manager as a process (the PV
// binder and the local-path provisioner, with a temporary --local-path-root).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMapResource, PersistentVolumeClaimResource, PersistentVolumeResource, PodResource, type PersistentVolume, type PersistentVolumeClaim, type Pod } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { createLogger } from '@kite/component-base';
import { CONTROLLER_MANAGER, freePort, SCHEDULER, startApiServerProcess, startApp, startRedis, waitFor, waitKubeletHealthy, type ApiServerHandle, type AppProcess, type RedisHandle } from '@kite/testing';
import { startSchedulerApp, type SchedulerApp } from '../../src/app.js';

export interface VolumeCluster {
  redis: RedisHandle;
  apiserver: ApiServerHandle;
  client: KubeClient;
  nodes: string[];
  rootDir: string;
  /** The controller manager's --local-path-root, when it runs. */
  localPathRoot: string;
  scheduler: SchedulerApp;
  stop(): Promise<void>;
}

export interface VolumeClusterOptions {
  subnets: number[];
  /** `--controllers` for a controller-manager process; absent: none runs. */
  controllers?: string;
  bindTimeoutSeconds?: number;
}

export async function startVolumeCluster(opts: VolumeClusterOptions): Promise<VolumeCluster> {
  const redis = await startRedis();
  const apiserver = await startApiServerProcess(redis.url);
  const rootDir = await mkdtemp(join(tmpdir(), 'kite-volume-binding-'));
  const localPathRoot = join(rootDir, 'local-path');
  const procs: AppProcess[] = [];
  const nodes: string[] = [];
  for (const s of opts.subnets) {
    const name = `node-${s}`;
    const ip = `127.1.${s}.1`;
    const port = await freePort(ip);
    const args = [...(await apiserver.kubeletArgs(name, ip)), '--node-name', name, '--node-ip', ip, '--pod-cidr', `127.64.${s}.0/24`, '--root-dir', join(rootDir, name), '--port', String(port), '--runtimes', 'wasm'];
    const p = startApp('kubelet', args);
    procs.push(p);
    nodes.push(name);
    await waitKubeletHealthy(ip, port, p);
  }
  if (opts.controllers) {
    const args = ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', opts.controllers, '--local-path-root', localPathRoot, '--port', '0'];
    procs.push(startApp('controller', args));
  }
  const scheduler = await startSchedulerApp({
    apiserver: await apiserver.connection(SCHEDULER),
    schedulerName: 'default-scheduler',
    percentageOfNodesToScore: 0,
    leaderElect: false,
    leaseDurationMs: 15_000,
    port: -1,
    ...(opts.bindTimeoutSeconds ? { bindTimeoutSeconds: opts.bindTimeoutSeconds } : {}),
    logger: createLogger('scheduler', process.env.LOG_LEVEL ?? 'warn'),
  });
  return {
    redis,
    apiserver,
    client: new KubeClient(await apiserver.connection()),
    nodes,
    rootDir,
    localPathRoot,
    scheduler,
    async stop() {
      await scheduler.stop();
      await Promise.all(procs.map((p) => p.stop()));
      for (const n of nodes) stopWasmDaemon(join(rootDir, n, n));
      await apiserver.stop();
      await redis.destroy();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

/** The kubelet leaves its Wasm runtime daemon running (for adoption on restart): stop it. */
function stopWasmDaemon(kubeletScope: string): void {
  try {
    process.kill(Number(readFileSync(join(kubeletScope, 'runtime', 'wasm.pid'), 'utf8')), 'SIGTERM');
  } catch {
    // not started
  }
}

export const claimsOf = (c: VolumeCluster) => c.client.resource(PersistentVolumeClaimResource);
export const volumesOf = (c: VolumeCluster) => c.client.resource(PersistentVolumeResource);
export const podsOf = (c: VolumeCluster) => c.client.resource(PodResource);

export function claim(name: string, storageClassName: string, volumeName?: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: '1Gi' } }, ...(volumeName ? { volumeName } : {}) },
  };
}

/** A static hostPath volume, optionally reachable from one node only and pre-bound to a claim. */
export function hostPathVolume(name: string, path: string, o: { storageClassName: string; node?: string; claim?: PersistentVolumeClaim }): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: o.storageClassName,
      hostPath: { path, type: 'DirectoryOrCreate' },
      ...(o.node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } } : {}),
      ...(o.claim ? { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: o.claim.metadata.name ?? '', uid: o.claim.metadata.uid ?? '' } } : {}),
    },
  };
}

/** The ConfigMap writer pods read before they write (the batch command needs a config file). */
export async function createWriterConfig(c: VolumeCluster): Promise<void> {
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'writer-config', namespace: 'default' }, data: { 'config.txt': 'mode=test\n' } });
}

/** A Wasm batch pod (no nodeName: the scheduler places it) that writes /data/FILE into its claim. */
export function writerPod(name: string, claimName: string, file = 'out.txt'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'batch', image: 'batch/build/batch.wasm', args: ['--config', '/config/config.txt', '--write', `/data/${file}`], volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'config', mountPath: '/config', readOnly: true }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }, { name: 'config', configMap: { name: 'writer-config' } }],
    },
  } as Pod;
}

export async function waitPod(c: VolumeCluster, name: string, check: (p: Pod) => boolean, what: string, timeoutMs = 30_000): Promise<Pod> {
  return waitFor(
    async () => {
      const p = await podsOf(c).get(name, { namespace: 'default' });
      return check(p) ? p : undefined;
    },
    { timeoutMs, message: `${name}: ${what}` },
  );
}
