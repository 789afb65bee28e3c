// A Deployment of Docker pods scaled 0 → 5 → 0 through the real controller manager (ReplicaSet
// and Deployment controllers): five pods run as five sandboxes and five containers on the
// engine, and scaling back to zero leaves no container behind.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeploymentResource, type Deployment } from '@kite/api-types';
import { startApp, waitFor, type AppProcess, CONTROLLER_MANAGER } from '@kite/testing';
import { isReady, pods } from '../helpers.js';
import { engineContainers, httpd, startDockerCluster, type DockerCluster } from './support.js';

let c: DockerCluster;
let controller: AppProcess;
beforeAll(async () => {
  c = await startDockerCluster(65);
  controller = startApp('controller', ['--kubeconfig', await c.apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', 'replicaset,deployment', '--port', '0']);
});
afterAll(async () => {
  await controller.stop();
  await c.stop();
});

const ns = { namespace: 'default' };

function deployment(replicas: number): Deployment {
  const serve = ['sh', '-c', `mkdir -p /www && echo "$HOSTNAME" > /www/index.html && exec ${httpd(8080, '/www').join(' ')}`];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        // Bound to the node directly: this slice runs no scheduler.
        spec: { nodeName: c.nodeName, runtimeClassName: 'docker', terminationGracePeriodSeconds: 2, containers: [{ name: 'web', image: c.image, command: serve, ports: [{ containerPort: 8080 }] }] },
      },
    },
  } as Deployment;
}

async function scale(replicas: number): Promise<void> {
  await c.client.resource(DeploymentResource).patch('web', { spec: { replicas } }, { ...ns, type: 'merge' });
}

it('scaling a Docker Deployment 0 → 5 → 0 leaves no container behind', async () => {
  await c.client.resource(DeploymentResource).create(deployment(0));
  await scale(5);
  await waitFor(async () => (await pods(c).list(ns)).items.filter(isReady).length === 5 || undefined, { timeoutMs: 60_000, message: '5 Ready pods' });
  const running = await engineContainers(c);
  expect(running.filter((x) => x.State === 'running')).toHaveLength(10);
  const ips = new Set((await pods(c).list(ns)).items.map((p) => p.status?.podIP));
  expect(ips.size).toBe(5);

  await scale(0);
  await waitFor(async () => (await pods(c).list(ns)).items.length === 0 || undefined, { timeoutMs: 60_000, message: 'no pods' });
  await waitFor(async () => (await engineContainers(c)).length === 0 || undefined, { timeoutMs: 15_000, message: 'no containers on the engine' });
});
