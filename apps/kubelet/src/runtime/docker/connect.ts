// How the kubelet gets its Docker runtime: connect to the engine and report clearly when it
// cannot, so that a node without a working engine simply does not offer `docker` (its Node
// then carries no runtime.kite.dev/docker label, and the scheduler sends it no Docker pods).
import type { Logger } from '@kite/component-base';
import { DockerRuntime } from './docker-runtime.js';

export interface DockerConnectOptions {
  nodeName: string;
  /** The kubelet's root directory: with the node name, the scope of its containers. */
  rootDir: string;
}

/** The Docker runtime, or undefined (logged as an error) when the engine does not answer. */
export async function connectDockerRuntime(opts: DockerConnectOptions, log: Logger): Promise<DockerRuntime | undefined> {
  const engine = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  try {
    const runtime = await DockerRuntime.connect({ scope: { node: opts.nodeName, kubeletRoot: opts.rootDir }, log });
    log.info({ engine }, 'docker runtime connected to the Docker engine');
    return runtime;
  } catch (err) {
    log.error({ err, engine }, `docker runtime NOT offered: the Docker engine at ${engine} is not usable (${(err as Error).message}); start dockerd or set DOCKER_HOST`);
    return undefined;
  }
}
