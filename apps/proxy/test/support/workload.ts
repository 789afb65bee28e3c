// The hello-http example (examples/wasm-pods/hello-http: deployment.yaml and service.yaml) as the
// end-to-end tests run it, with whatever the built controller manager offers:
// - Deployment and ReplicaSet controllers present: the Deployment from deployment.yaml, its pod
//   template pinned to the test's node (there is no scheduler in these tests), scaled through
//   spec.replicas. Otherwise: the same pod template created as bare pods, scaled by the test.
// - EndpointSlice controller present: it maintains the slices. Otherwise SliceMirror does.
// Either way the proxy sees what it would see in a full cluster: Pods, a Service, EndpointSlices.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeploymentResource, PodResource, ServiceResource, type Deployment, type Pod, type Service } from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import type { ApiServerHandle } from '@kite/testing';
import { repoRoot, type AppProcess } from '@kite/testing';
import { availableControllers, startControllerManager } from './node.js';
import { SliceMirror } from './slice-mirror.js';

const EXAMPLE = join(repoRoot, 'examples', 'wasm-pods', 'hello-http');
const NAMESPACE = 'default';
export const APP_LABEL = 'app=hello-http';
const WORKLOAD_CONTROLLERS = ['replicaset', 'deployment'];
const SLICE_CONTROLLER = 'endpointslice';
/** Grace period of the test's pods: Wasm pods stop at once; no need to wait 30 s. */
const GRACE_SECONDS = 2;

export interface Modes {
  pods: 'deployment' | 'bare-pods';
  slices: 'controller' | 'test-mirror';
}

export interface HelloWorkload {
  modes: Modes;
  service: Service;
  scale(replicas: number): Promise<void>;
  stop(): Promise<void>;
}

function manifest<T>(file: string): T {
  return parse(readFileSync(join(EXAMPLE, file), 'utf8')) as T;
}

export async function startHelloWorkload(apiserver: ApiServerHandle, client: KubeClient, nodeName: string, serviceType: 'ClusterIP' | 'NodePort'): Promise<HelloWorkload> {
  const have = availableControllers();
  const modes: Modes = {
    pods: WORKLOAD_CONTROLLERS.every((c) => have.includes(c)) ? 'deployment' : 'bare-pods',
    slices: have.includes(SLICE_CONTROLLER) ? 'controller' : 'test-mirror',
  };
  const wanted = [...(modes.pods === 'deployment' ? WORKLOAD_CONTROLLERS : []), ...(modes.slices === 'controller' ? [SLICE_CONTROLLER] : [])];
  const manager: AppProcess | undefined = wanted.length > 0 ? await startControllerManager(apiserver, wanted) : undefined;
  const svcManifest = manifest<Service>('service.yaml');
  const service = await client.resource(ServiceResource).create({ ...svcManifest, spec: { ...svcManifest.spec, type: serviceType } }, { namespace: NAMESPACE });
  const port = service.spec?.ports?.[0];
  const mirror =
    modes.slices === 'test-mirror'
      ? new SliceMirror({ client, namespace: NAMESPACE, service: service.metadata.name ?? '', selector: APP_LABEL, portName: port?.name ?? '', targetPort: Number(port?.targetPort ?? 8080) })
      : undefined;
  await mirror?.start();
  const deployment = manifest<Deployment>('deployment.yaml');
  const template = deployment.spec?.template;
  if (template?.spec) Object.assign(template.spec, { nodeName, terminationGracePeriodSeconds: GRACE_SECONDS });
  const scale = modes.pods === 'deployment' ? deploymentScaler(client, deployment) : barePodScaler(client, template?.metadata?.labels ?? {}, template?.spec);
  return {
    modes,
    service,
    scale,
    stop: async () => {
      await mirror?.stop();
      await manager?.stop();
    },
  };
}

function deploymentScaler(client: KubeClient, deployment: Deployment): (n: number) => Promise<void> {
  const deployments = client.resource(DeploymentResource);
  let created = false;
  return async (replicas) => {
    if (!created) {
      await deployments.create({ ...deployment, spec: { ...deployment.spec, replicas } as Deployment['spec'] }, { namespace: NAMESPACE });
      created = true;
      return;
    }
    await deployments.patch(deployment.metadata.name ?? '', { spec: { replicas } }, { namespace: NAMESPACE, type: 'merge' });
  };
}

function barePodScaler(client: KubeClient, labels: Record<string, string>, spec: Pod['spec']): (n: number) => Promise<void> {
  const pods = client.resource(PodResource);
  let next = 0;
  return async (replicas) => {
    const live = (await pods.list({ namespace: NAMESPACE, labelSelector: APP_LABEL })).items.filter((p) => !p.metadata.deletionTimestamp);
    for (const p of live.slice(replicas)) await pods.delete(p.metadata.name ?? '', { namespace: NAMESPACE });
    for (let i = live.length; i < replicas; i++) {
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `hello-http-${next++}`, labels }, spec } as Pod, { namespace: NAMESPACE });
    }
  };
}
