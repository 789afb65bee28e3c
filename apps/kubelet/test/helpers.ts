// A real cluster slice for kubelet tests: redis-server, an apiserver process and a kubelet process
// on its own node IP and pod CIDR (distinct per test file, so files can run in parallel).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodResource, type Pod, type Volume, type VolumeMount } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { stopDaemon } from '../src/runtime/remote/daemon.js';
import { freePort, startApiServerProcess, startApp, startRedis, waitFor, type ApiServerHandle, type AppProcess, type RedisHandle, waitKubeletHealthy } from '@kite/testing';

export interface KubeletCluster {
  redis: RedisHandle;
  apiserver: ApiServerHandle;
  kubelet: AppProcess;
  client: KubeClient;
  nodeName: string;
  nodeIP: string;
  /** The kubelet API's port (HTTPS on nodeIP). */
  port: number;
  rootDir: string;
  /** Starts the kubelet again (after kill) with the same flags. */
  restartKubelet(): Promise<void>;
  stop(): Promise<void>;
}

/** `apiserverArgs` are extra apiserver flags (a short --metric-resolution, for one). */
export async function startKubeletCluster(subnet: number, extraArgs: string[] = [], apiserverArgs: string[] = []): Promise<KubeletCluster> {
  const redis = await startRedis();
  const apiserver = await startApiServerProcess(redis.url, apiserverArgs);
  const rootDir = await mkdtemp(join(tmpdir(), 'kite-kubelet-'));
  const nodeName = `node-${subnet}`;
  const nodeIP = `127.1.${subnet}.1`;
  const port = await freePort(nodeIP);
  const args = [
    ...(await apiserver.kubeletArgs(nodeName, nodeIP)), '--node-name', nodeName, '--node-ip', nodeIP, '--pod-cidr', `127.64.${subnet}.0/24`,
    '--root-dir', rootDir, '--port', String(port), '--runtimes', 'wasm', '--backoff-base-seconds', '0.5', '--backoff-max-seconds', '8', ...extraArgs,
  ];
  const launch = async () => {
    const p = startApp('kubelet', args);
    await waitKubeletHealthy(nodeIP, port, p);
    return p;
  };
  const cluster: KubeletCluster = {
    redis,
    apiserver,
    kubelet: await launch(),
    client: new KubeClient(await apiserver.connection()),
    nodeName,
    nodeIP,
    port,
    rootDir,
    restartKubelet: async () => {
      cluster.kubelet = await launch();
    },
    stop: async () => {
      await cluster.kubelet.stop();
      stopDaemon(join(rootDir, nodeName), 'wasm');
      await apiserver.stop();
      await redis.destroy();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export function pods(c: KubeletCluster) {
  return c.client.resource(PodResource);
}

/** Waits until the pod satisfies `check`, returning it. */
export async function waitForPod(c: KubeletCluster, name: string, check: (p: Pod) => boolean, timeoutMs = 15_000, what = 'pod condition'): Promise<Pod> {
  return waitFor(
    async () => {
      const p = await pods(c).get(name, { namespace: 'default' });
      return check(p) ? p : undefined;
    },
    { timeoutMs, message: `${name}: ${what}` },
  );
}

export const isReady = (p: Pod) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;

export function httpPod(c: KubeletCluster, name: string, extra: Partial<NonNullable<Pod['spec']>> = {}, container: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'hello' } },
    spec: {
      nodeName: c.nodeName,
      terminationGracePeriodSeconds: 2,
      containers: [
        {
          name: 'hello',
          image: 'hello-http/build/hello-http-v1.wasm',
          ports: [{ containerPort: 8080 }],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          ...container,
        },
      ],
      ...extra,
    },
  } as Pod;
}

export async function get(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

/**
 * The Wasm batch example as a run-to-completion pod on the cluster's node, with the ConfigMap
 * `configMap` at /config and `extra` volumes mounted beside it.
 */
export function batchPod(c: KubeletCluster, name: string, args: string[], configMap: string, extra: { mounts?: VolumeMount[]; volumes?: Volume[] } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: c.nodeName,
      restartPolicy: 'Never',
      containers: [
        {
          name: 'batch',
          image: 'batch/build/batch.wasm',
          args,
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, ...(extra.mounts ?? [])],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: configMap } }, ...(extra.volumes ?? [])],
    },
  };
}
