// Issue 12 point 7 end to end with Docker: redis-server, apiserver, controller manager
// (Deployments, ReplicaSets, EndpointSlices), a kubelet offering the Docker runtime, and the proxy,
// all real processes. A Deployment of busybox `nc` echo servers in Docker, behind a ClusterIP
// Service whose one port is unnamed (so raw TCP), is reached with a plain TCP client from the host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentResource, ServiceResource, type Deployment, type Service } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { startControlPlane, startProxy, waitListener, type ControlPlane, type ProxyProcess } from './support/cluster.js';
import { buildBusyboxImage, removeNodeContainers } from './support/docker.js';
import { tcpExchange } from './support/echo.js';
import { startControllerManager, startKubelet, type KubeletNode } from './support/node.js';
import { metricValue } from './support/prom.js';
import type { AppProcess } from '@kite/testing';

/** This file's own subnet 117: node IP 127.1.117.1, pods from 127.64.117.0/24. */
const SUBNET = 117;
const SERVICE_CIDR = '127.46.117.0/24';
const IMAGE = 'kite-test/proxy-l4-echo:s117';
const NAME = 'tcp-echo';
const ECHO_PORT = 7000;
const REPLICAS = 2;
const CONNECTIONS = 20;
/** Docker pods start in a second or two; leave room for a loaded machine. */
const READY_TIMEOUT_MS = 60_000;

let cp: ControlPlane;
let node: KubeletNode;
let manager: AppProcess;
let proxy: ProxyProcess;
let removeImage: () => void = () => undefined;
let clusterIP = '';

function deployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: 'default' },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME } },
        spec: {
          nodeName: node.nodeName,
          runtimeClassName: 'docker',
          terminationGracePeriodSeconds: 1,
          // `nc -ll -e`: a persistent server running `cat` on every connection; `cat` ends at the
          // client's FIN, so the echo also shows half-close travelling through the proxy.
          containers: [{ name: 'echo', image: IMAGE, command: ['nc', '-ll', '-p', String(ECHO_PORT), '-e', 'cat'], ports: [{ containerPort: ECHO_PORT }] }],
        },
      },
    },
  } as Deployment;
}

const echoService: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: NAME, namespace: 'default' },
  spec: { selector: { app: NAME }, ports: [{ port: ECHO_PORT, targetPort: ECHO_PORT, protocol: 'TCP' }] },
};

beforeAll(async () => {
  removeImage = buildBusyboxImage(IMAGE, ['sh', 'nc', 'cat']);
  cp = await startControlPlane(SERVICE_CIDR);
  node = await startKubelet(cp.apiserver, SUBNET, { runtimes: 'docker' });
  manager = await startControllerManager(cp.apiserver, ['replicaset', 'deployment', 'endpointslice']);
  proxy = await startProxy(cp.apiserver, node.nodeIP);
  const svc = await cp.client.resource(ServiceResource).create(echoService, { namespace: 'default' });
  clusterIP = svc.spec?.clusterIP ?? '';
  await cp.client.resource(DeploymentResource).create(deployment(), { namespace: 'default' });
  await waitListener(proxy, `${clusterIP}:${ECHO_PORT}`, 'bound');
  const labels = { service: `default/${NAME}`, port: '' };
  await waitFor(async () => metricValue(await proxy.metrics(), 'kite_proxy_ready_endpoints', labels) === REPLICAS, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, message: `${REPLICAS} ready echo pods` });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await manager?.stop();
  await node?.stop();
  await cp?.stop();
  if (node) removeNodeContainers(node.nodeName);
  removeImage();
});

describe('a Docker TCP echo Deployment behind a ClusterIP Service', () => {
  it(`answers ${CONNECTIONS} raw TCP connections from the host, spread over its ${REPLICAS} pods`, async () => {
    expect((await proxy.listeners()).find((l) => l.key === `${clusterIP}:${ECHO_PORT}`)?.path).toBe('tcp');
    for (let i = 0; i < CONNECTIONS; i++) {
      // A pod just marked ready may take a moment to accept: the proxy retries refused connects.
      expect(await tcpExchange(clusterIP, ECHO_PORT, `line ${i}\n`)).toBe(`line ${i}\n`);
    }
    const m = await proxy.metrics();
    const perPod = [...m.matchAll(new RegExp(`kite_proxy_endpoint_requests_total\\{[^}]*service="${NAME}"[^}]*\\} (\\d+)`, 'g'))].map((x) => Number(x[1]));
    expect(perPod).toHaveLength(REPLICAS);
    expect(perPod.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(CONNECTIONS);
    for (const n of perPod) expect(n).toBeGreaterThanOrEqual(CONNECTIONS / 4);
  });
});
