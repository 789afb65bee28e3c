// A real cluster for acceptance tests: redis-server and an apiserver process (from @kite/testing),
// a typed client, and builders for the Node and Pod objects tests create directly (no kubelet:
// nodes are plain objects with allocatable, a Ready condition and runtime labels).
import type { Event, Node, Pod } from '@kite/api-types';
import { EventResource, NodeResource, PodResource } from '@kite/api-types';
import { KubeClient, type ResourceClient } from '@kite/client';
import { SCHEDULER, startApiServerProcess, startRedis, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';
import { createLogger } from '@kite/component-base';
import { startSchedulerApp, type SchedulerApp, type SchedulerAppOptions } from '../../src/app.js';
import { node as nodeObject, pod as podObject, type PodExtra, type Resources } from './builders.js';

export interface Cluster {
  redis: RedisHandle;
  api: ApiServerHandle;
  kube: KubeClient;
  pods: ResourceClient<Pod>;
  nodes: ResourceClient<Node>;
  events: ResourceClient<Event>;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const redis = await startRedis();
  const api = await startApiServerProcess(redis.url).catch(async (err: unknown) => {
    await redis.destroy();
    throw err;
  });
  const kube = new KubeClient(await api.connection());
  return {
    redis,
    api,
    kube,
    pods: kube.resource(PodResource),
    nodes: kube.resource(NodeResource),
    events: kube.resource(EventResource),
    async stop() {
      await api.stop();
      await redis.destroy();
    },
  };
}

export function createNode(c: Cluster, name: string, allocatable: Resources, extra: Parameters<typeof nodeObject>[2] = {}): Promise<Node> {
  return c.nodes.create(nodeObject(name, allocatable, extra));
}

/** Creates a pod through the apiserver (defaulting applies: schedulerName, pull policy, ...). */
export function createPod(c: Cluster, name: string, requests: Resources = {}, extra: PodExtra = {}): Promise<Pod> {
  const p = podObject(name, requests, extra);
  delete p.metadata.uid;
  return c.pods.create(p);
}

/** Every pod of a namespace, listed. */
export async function listPods(c: Cluster, namespace = 'default'): Promise<Pod[]> {
  return (await c.pods.listAll({ namespace })).items;
}

export async function waitAllBound(c: Cluster, count: number, timeoutMs = 30_000, namespace = 'default'): Promise<Pod[]> {
  return waitFor(
    async () => {
      const pods = await listPods(c, namespace);
      return pods.length === count && pods.every((p) => p.spec?.nodeName) ? pods : undefined;
    },
    { timeoutMs, intervalMs: 50, message: `${count} pods bound` },
  );
}

/** Events about one pod, by involvedObject field selector. */
export async function podEvents(c: Cluster, name: string, namespace = 'default'): Promise<Event[]> {
  return (await c.events.listAll({ namespace, fieldSelector: `involvedObject.name=${name}` })).items;
}

/** The scheduler in-process, without leader election or health server, logging only errors. */
export async function startScheduler(c: Cluster, extra: Partial<SchedulerAppOptions> = {}): Promise<SchedulerApp> {
  return startSchedulerApp({
    apiserver: await c.api.connection(SCHEDULER),
    schedulerName: 'default-scheduler',
    percentageOfNodesToScore: 0,
    leaderElect: false,
    leaseDurationMs: 15_000,
    port: -1,
    logger: createLogger('scheduler', process.env.LOG_LEVEL ?? 'error'),
    ...extra,
  });
}
