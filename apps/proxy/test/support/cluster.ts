// Real processes for the proxy's integration tests: redis-server and an apiserver (with a
// service CIDR of the test file's own, so test files running side by side never want the same
// ClusterIP), proxy processes on their node IPs, and the cluster DNS process.
import { EndpointSliceResource, ServiceResource, type EndpointSlice, type Service } from '@kite/api-types';
import { KubeClient, type ResourceClient } from '@kite/client';
import { KUBE_DNS, KUBE_PROXY, freePort, repoRoot, startApiServerProcess, startApp, startRedis, waitFor, waitHttpOk, type ApiServerHandle, type AppProcess, type RedisHandle } from '@kite/testing';
import { join } from 'node:path';
import type { ListenerInfo } from '../../src/listen/listener-set.js';
import { startScript } from './script.js';

/** The DNS server is the proxy package's second entry point. */
const DNS_MAIN = join(repoRoot, 'apps', 'proxy', 'dist', 'dns-main.js');

export interface ControlPlane {
  redis: RedisHandle;
  apiserver: ApiServerHandle;
  client: KubeClient;
  services: ResourceClient<Service>;
  slices: ResourceClient<EndpointSlice>;
  stop(): Promise<void>;
}

export async function startControlPlane(serviceCIDR: string, apiserverArgs: string[] = []): Promise<ControlPlane> {
  const redis = await startRedis();
  const apiserver = await startApiServerProcess(redis.url, ['--service-cluster-ip-range', serviceCIDR, ...apiserverArgs]);
  const client = new KubeClient(await apiserver.connection());
  return {
    redis,
    apiserver,
    client,
    services: client.resource(ServiceResource),
    slices: client.resource(EndpointSliceResource),
    stop: async () => {
      await apiserver.stop();
      await redis.destroy();
    },
  };
}

export interface ProxyProcess extends AppProcess {
  nodeIP: string;
  /** `http://nodeIP:port` of /healthz, /metrics, /listeners. */
  url: string;
  listeners(): Promise<ListenerInfo[]>;
  /** Text of /metrics. */
  metrics(): Promise<string>;
}

/** `port` of /metrics and the health endpoints: a free one unless given (kube-proxy's 10256 where the apiserver scrapes it). */
export async function startProxy(apiserver: ApiServerHandle, nodeIP: string, extraArgs: string[] = [], fixedPort?: number): Promise<ProxyProcess> {
  const port = fixedPort ?? (await freePort(nodeIP));
  const proc = startApp('proxy', ['--kubeconfig', await apiserver.kubeconfig(KUBE_PROXY), '--node-name', `node-${nodeIP}`, '--node-ip', nodeIP, '--port', String(port), ...extraArgs], { LOG_LEVEL: 'debug' });
  const url = `http://${nodeIP}:${port}`;
  await waitHttpOk(`${url}/readyz`, proc);
  return {
    ...proc,
    nodeIP,
    url,
    listeners: async () => (await (await fetch(`${url}/listeners`)).json()) as ListenerInfo[],
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
  };
}

/** Waits until the proxy reports `key` (`host:port`) in `state`. */
export async function waitListener(p: ProxyProcess, key: string, state: ListenerInfo['state'], timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => (await p.listeners()).some((l) => l.key === key && l.state === state), { timeoutMs, message: `${key} ${state} on ${p.nodeIP}` });
}

export interface DnsProcess extends AppProcess {
  address: string;
  port: number;
}

export async function startDns(apiserver: ApiServerHandle, address: string): Promise<DnsProcess> {
  const port = await freePort(address);
  const healthPort = await freePort(address);
  const dns = startScript(DNS_MAIN, ['--kubeconfig', await apiserver.kubeconfig(KUBE_DNS), '--dns-address', address, '--dns-port', String(port), '--port', String(healthPort)]);
  await waitHttpOk(`http://${address}:${healthPort}/readyz`, dns);
  await waitFor(() => dns.output().includes('cluster dns started'), { message: 'dns listening' });
  return { ...dns, address, port };
}
