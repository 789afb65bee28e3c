// A real cluster slice for Docker runtime tests: redis, an apiserver and a kubelet process
// offering `docker` (helpers.ts), a test image built on the engine for this file alone
// (`kite-test/busybox:s<subnet>`, labelled io.kite.test), and a clean-up that removes every
// container this kubelet left on the engine, then the image. Subnets: pods 60, failures 63,
// restart 64, deployment 65, mixed 66, the bench 67, runtime.test.ts 68, stats 69 (apps/proxy's
// tests and bench took 61 and 62; apps/apiserver's metrics API test takes 79).
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { Pod } from '@kite/api-types';
import { ensureBusyboxImage } from '../../src/runtime/docker/local-images.js';
import { Label } from '../../src/runtime/docker/labels.js';
import { startKubeletCluster, type KubeletCluster } from '../helpers.js';

/** Marks images and containers that tests made, for clean-up. */
export const TEST_LABEL = 'io.kite.test';

/** The busybox applets the test workloads use. */
const APPLETS = ['sh', 'httpd', 'wget', 'sleep', 'echo', 'cat', 'head', 'tail', 'id', 'touch', 'date', 'mkdir', 'test', 'true', 'false', 'ls', 'seq', 'cp', 'rm', 'yes'];

export interface DockerCluster extends KubeletCluster {
  docker: Dockerode;
  /** The workload image of this test file. */
  image: string;
  /** The kubelet's scope on the engine (its `--root-dir` joined with the node name). */
  kubeletRoot: string;
}

/** Builds the test image (if missing) and starts a cluster whose kubelet offers `runtimes`. */
export async function startDockerCluster(subnet: number, runtimes = 'docker', extraArgs: string[] = [], apiserverArgs: string[] = []): Promise<DockerCluster> {
  const docker = new Dockerode();
  const image = `kite-test/busybox:s${subnet}`;
  await ensureBusyboxImage(docker, { ref: image, applets: APPLETS, labels: { [TEST_LABEL]: 'true' } });
  const cluster = await startKubeletCluster(subnet, ['--runtimes', runtimes, ...extraArgs], apiserverArgs);
  const kubeletRoot = join(cluster.rootDir, cluster.nodeName);
  const stopCluster = cluster.stop;
  return Object.assign(cluster, {
    docker,
    image,
    kubeletRoot,
    stop: async () => {
      await stopCluster();
      await removeKubeletContainers(docker, kubeletRoot);
      await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    },
  });
}

/** The engine's containers of this kubelet (sandboxes and containers), optionally of one pod. */
export async function engineContainers(c: DockerCluster, podUid?: string): Promise<Dockerode.ContainerInfo[]> {
  const label = [`${Label.KubeletRoot}=${c.kubeletRoot}`, ...(podUid ? [`${Label.PodUid}=${podUid}`] : [])];
  return c.docker.listContainers({ all: true, filters: { label } });
}

export async function removeKubeletContainers(docker: Dockerode, kubeletRoot: string): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${Label.KubeletRoot}=${kubeletRoot}`] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** The engine id inside a status `containerID` (`docker://<id>`). */
export function engineId(containerID: string | undefined): string {
  return (containerID ?? '').replace(/^docker:\/\//, '');
}

type Spec = NonNullable<Pod['spec']>;
type Container = Spec['containers'][number];

/** A pod bound to the cluster's node running `containers` on the Docker runtime. */
export function dockerPod(c: DockerCluster, name: string, containers: Array<Partial<Container> & { name: string }>, spec: Partial<Omit<Spec, 'initContainers'>> & { initContainers?: Array<Partial<Container> & { name: string }> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      nodeName: c.nodeName,
      runtimeClassName: 'docker',
      terminationGracePeriodSeconds: 2,
      ...spec,
      ...(spec.initContainers ? { initContainers: spec.initContainers.map((x) => ({ image: c.image, ...x })) } : {}),
      containers: containers.map((x) => ({ image: c.image, ...x })),
    },
  } as Pod;
}

/** busybox httpd serving `dir` on `port` in the foreground. */
export function httpd(port: number, dir: string): string[] {
  return ['httpd', '-f', '-p', String(port), '-h', dir];
}
